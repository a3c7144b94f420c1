using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>
/// Layer, group and batch normalisation with an affine weight and bias, as PyTorch's modules
/// (eps 1e-5, biased variance for normalising, unbiased variance for batch norm's running estimate).
/// </summary>
public static partial class NormOps
{
    public const float Eps = 1e-5f;

    /// <summary>Standardizes consecutive segments of x (layer norm's rows, group norm's groups), keeping 1/σ of each for backward.</summary>
    private static void StandardizeSegments(ReadOnlySpan<float> x, int count, int length, Span<float> xhat, Span<float> rstd)
    {
        for (int i = 0; i < count; i++)
        {
            var xs = x.Slice(i * length, length);
            var (mean, variance) = Normalization.Moments(xs);
            float r = 1f / MathF.Sqrt((float)variance + Eps);
            rstd[i] = r;
            Normalization.Standardize(xs, (float)mean, r, xhat.Slice(i * length, length));
        }
    }

    private static (int N, int C, int Hw) Channels(string op, Tensor x)
    {
        if (x.Shape.Rank != 2 && x.Shape.Rank != 4)
        {
            throw new ArgumentException($"{op}: input '{x.Describe()}' must be [N, C] or [N, C, H, W].");
        }
        return (x.Shape[0], x.Shape[1], x.Shape.SizeFrom(2));
    }

    private static void Affine(string op, Tensor weight, Tensor bias, int size, Tensor x)
    {
        if (weight.Shape != new Shape(size) || bias.Shape != new Shape(size))
        {
            throw new ArgumentException($"{op}: weight '{weight.Describe()}' and bias '{bias.Describe()}' must both be [{size}] for input '{x.Describe()}'.");
        }
    }

    /// <summary>y[n, c, :] = xhat[n, c, :]·γ[c] + β[c].</summary>
    private static void ScaleShift(ReadOnlySpan<float> xhat, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int n, int c, int hw, Span<float> y)
    {
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * hw;
                Normalization.ScaleShift(xhat.Slice(o, hw), gamma[ch], beta[ch], y.Slice(o, hw));
            }
        }
    }

    /// <summary>dγ[c] += Σ dy·xhat and dβ[c] += Σ dy over channel c's values.</summary>
    private static void AffineGradients(Tensor weight, Tensor bias, ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, int n, int c, int hw)
    {
        if (!weight.RequiresGrad && !bias.RequiresGrad)
        {
            return;
        }
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * hw;
                var (sd, sdx) = Normalization.GradientSums(dy.Slice(o, hw), xhat.Slice(o, hw));
                if (weight.RequiresGrad)
                {
                    weight.Grad[ch] += (float)sdx;
                }
                if (bias.RequiresGrad)
                {
                    bias.Grad[ch] += (float)sd;
                }
            }
        }
    }
}
