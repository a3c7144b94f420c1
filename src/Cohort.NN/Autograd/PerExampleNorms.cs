using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Autograd;

/// <summary>
/// Per-example squared gradient norms of a model's parameters after one backward pass over a
/// batch, gathered from the operations that use the parameters (<see cref="IPerExampleNorms"/>),
/// and the algebra those operations share.
/// </summary>
internal static class PerExampleNorms
{
    /// <summary>
    /// Adds each example's squared gradient norm into <paramref name="squaredNorms"/> (length: the
    /// batch). The norms are those of the gradients as the backward pass was seeded (for a mean loss,
    /// 1/N of each example's own). Returns null, or the first operation that uses a parameter and
    /// cannot split its gradient by example (the norms are then incomplete).
    /// </summary>
    public static IBackward? TryAdd(Tape tape, float[] parameterGradients, Span<double> squaredNorms)
    {
        foreach (ref readonly Node node in tape.Nodes)
        {
            if (!UsesParameter(node, parameterGradients))
            {
                continue;
            }
            if (node.Function is not IPerExampleNorms split || !split.AddSquaredNorms(tape, node, parameterGradients, squaredNorms))
            {
                return node.Function;
            }
        }
        return null;
    }

    /// <summary>Whether a node input's gradient lives in the parameters' gradient vector.</summary>
    public static bool IsParameter(Tensor? t, float[] parameterGradients) =>
        t is { RequiresGrad: true } && ReferenceEquals(t.GradBuffer, parameterGradients);

    /// <summary>
    /// ‖Σ_t g_t a_tᵀ‖² over one example's <paramref name="positions"/> (rows of a linear layer,
    /// output pixels of a convolution): the squared norm of its weight gradient. Position-major
    /// matrices are [T, features], feature-major ones [features, T]. Takes the cheaper of the ghost
    /// norm Σ_{t,s} (a_t·a_s)(g_t·g_s) (T²(p+d) multiply-adds) and the gradient itself (T·p·d).
    /// </summary>
    public static double OuterSumSquaredNorm(ReadOnlySpan<float> g, int gFeatures, ReadOnlySpan<float> a, int aFeatures, int positions, bool positionMajor, Span<float> scratch, int threads)
    {
        int t = positions, p = gFeatures, d = aFeatures;
        if (t == 1)
        {
            return SquaredNorm(g[..p]) * SquaredNorm(a[..d]);
        }
        if (UsesGhostNorm(t, p, d))
        {
            Span<float> ga = scratch[..(t * t)], gg = scratch.Slice(t * t, t * t);
            Gram(a, d, t, positionMajor, ga, threads);
            Gram(g, p, t, positionMajor, gg, threads);
            double sum = 0;
            for (int i = 0; i < ga.Length; i++)
            {
                sum += (double)ga[i] * gg[i];
            }
            return sum;
        }
        var w = scratch[..(p * d)];
        if (positionMajor)
        {
            Gemm.Multiply(true, false, p, d, t, g, p, a, d, w, d, false, threads);
        }
        else
        {
            Gemm.Multiply(false, true, p, d, t, g, t, a, t, w, d, false, threads);
        }
        return SquaredNorm(w);
    }

    /// <summary>Floats of scratch <see cref="OuterSumSquaredNorm"/> needs for these sizes.</summary>
    public static int OuterSumScratch(int positions, int gFeatures, int aFeatures) =>
        positions == 1 ? 0 : UsesGhostNorm(positions, gFeatures, aFeatures) ? 2 * positions * positions : gFeatures * aFeatures;

    private static bool UsesGhostNorm(int t, int p, int d) => (long)t * (p + d) < (long)p * d;

    /// <summary>‖Σ_t g_t‖² over one example's positions: the squared norm of a bias gradient.</summary>
    public static double SummedSquaredNorm(ReadOnlySpan<float> g, int features, int positions, bool positionMajor)
    {
        double total = 0;
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int t = 0; t < positions; t++)
            {
                sum += positionMajor ? g[t * features + f] : g[f * positions + t];
            }
            total += sum * sum;
        }
        return total;
    }

    public static double SquaredNorm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }
        return sum;
    }

    private static bool UsesParameter(in Node node, float[] parameterGradients) =>
        IsParameter(node.A, parameterGradients) || IsParameter(node.B, parameterGradients)
        || IsParameter(node.C, parameterGradients) || IsParameter(node.D, parameterGradients);

    /// <summary>The T×T Gram matrix of a matrix's positions.</summary>
    private static void Gram(ReadOnlySpan<float> m, int features, int t, bool positionMajor, Span<float> gram, int threads)
    {
        if (positionMajor)
        {
            Gemm.Multiply(false, true, t, t, features, m, features, m, features, gram, t, false, threads);
        }
        else
        {
            Gemm.Multiply(true, false, t, t, features, m, t, m, t, gram, t, false, threads);
        }
    }
}
