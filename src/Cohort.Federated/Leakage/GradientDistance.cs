using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Cohort.Federated.Leakage;

/// <summary>How far a dummy batch's gradient is from the observed one: the value, and its gradient with respect to the dummy gradient.</summary>
internal enum GradientDistance
{
    /// <summary>‖∇ − g‖² (DLG, Zhu et al. 2019).</summary>
    SquaredEuclidean,

    /// <summary>1 − ⟨∇, g⟩ / (‖∇‖‖g‖) (Inverting Gradients, Geiping et al. 2020).</summary>
    Cosine,
}

internal static class GradientDistances
{
    /// <summary>The distance between <paramref name="gradient"/> and <paramref name="observed"/>; ∂distance/∂gradient into <paramref name="direction"/>.</summary>
    public static double Evaluate(this GradientDistance distance, ReadOnlySpan<float> gradient, ReadOnlySpan<float> observed, Span<float> direction)
    {
        if (distance == GradientDistance.SquaredEuclidean)
        {
            double sum = 0;
            for (int i = 0; i < gradient.Length; i++)
            {
                double d = (double)gradient[i] - observed[i];
                sum += d * d;
                direction[i] = (float)(2 * d);
            }
            return sum;
        }
        double dot = 0, gg = 0, oo = 0;
        for (int i = 0; i < gradient.Length; i++)
        {
            dot += (double)gradient[i] * observed[i];
            gg += (double)gradient[i] * gradient[i];
            oo += (double)observed[i] * observed[i];
        }
        if (gg == 0 || oo == 0)
        {
            direction.Clear();
            return 1;
        }
        double gNorm = Math.Sqrt(gg), oNorm = Math.Sqrt(oo), cosine = dot / (gNorm * oNorm);
        // ∂(1 − cos)/∂∇ = −g/(‖∇‖‖g‖) + cos·∇/‖∇‖².
        for (int i = 0; i < gradient.Length; i++)
        {
            direction[i] = (float)(-observed[i] / (gNorm * oNorm) + cosine * gradient[i] / gg);
        }
        return 1 - cosine;
    }

    /// <summary>‖x‖ in double.</summary>
    public static double Norm(ReadOnlySpan<float> x) => Math.Sqrt(TensorPrimitives.SumOfSquares(x));
}
