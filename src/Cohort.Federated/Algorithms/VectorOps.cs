using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Cohort.Federated.Algorithms;

/// <summary>The few span kernels methods share beyond <see cref="TensorPrimitives"/>.</summary>
internal static class VectorOps
{
    /// <summary>target += a·(y − x): a proximal pull (FedProx, FedDyn).</summary>
    public static void AddScaledDifference(Span<float> target, float a, ReadOnlySpan<float> y, ReadOnlySpan<float> x)
    {
        Check(target, y, x);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var va = new Vector<float>(a);
            for (int k = 0; k < vt.Length; k++)
            {
                vt[k] += va * (vy[k] - vx[k]);
            }
            i = vt.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++)
        {
            target[i] += a * (y[i] - x[i]);
        }
    }

    /// <summary>Σ vᵢ² in double.</summary>
    public static double SquaredNorm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float x in v)
        {
            sum += (double)x * x;
        }
        return sum;
    }

    private static void Check(Span<float> target, ReadOnlySpan<float> y, ReadOnlySpan<float> x)
    {
        if (y.Length != target.Length || x.Length != target.Length)
        {
            throw new ArgumentException($"Vectors of {target.Length}, {y.Length} and {x.Length} values; they must be equal.");
        }
    }
}
