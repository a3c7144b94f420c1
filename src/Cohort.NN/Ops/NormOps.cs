using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>
/// Layer, group and batch normalisation with an affine weight and bias, as PyTorch's modules
/// (eps 1e-5, biased variance for normalising, unbiased variance for batch norm's running estimate).
/// </summary>
public static class NormOps
{
    public const float Eps = 1e-5f;

    /// <summary>Normalises over the last dimension; weight and bias are [D].</summary>
    public static Tensor LayerNorm(this Tape tape, Tensor x, Tensor weight, Tensor bias)
    {
        const string op = "layer_norm";
        if (x.Shape.Rank < 1)
        {
            throw new ArgumentException($"{op}: input '{x.Describe()}' needs at least one dimension.");
        }
        int d = x.Shape[x.Shape.Rank - 1];
        Affine(op, weight, bias, d, x);
        int rows = d == 0 ? 0 : x.Size / d;
        bool grad = tape.NeedsGrad(x, weight, bias);
        var y = tape.Allocate(x.Shape, grad);
        var xhat = tape.Allocate(x.Shape);
        var rstd = tape.Allocate(new Shape(rows));
        StandardizeSegments(x.Data, rows, d, xhat.Data, rstd.Data);
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.FusedMultiplyAdd(xhat.Data.Slice(r * d, d), weight.Data, bias.Data, y.Data.Slice(r * d, d));
        }
        if (grad)
        {
            ref Node node = ref tape.Record(LayerNormBackward.Instance, y);
            node.A = x;
            node.B = weight;
            node.C = bias;
            node.S0 = xhat;
            node.S1 = rstd;
            node.I0 = rows;
            node.I1 = d;
        }
        return y;
    }

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

    /// <summary>x [N, C, H, W] or [N, C]; statistics over each sample's groups of C/groups channels.</summary>
    public static Tensor GroupNorm(this Tape tape, Tensor x, int groups, Tensor weight, Tensor bias)
    {
        const string op = "group_norm";
        var (n, c, hw) = Channels(op, x);
        if (groups <= 0 || c % groups != 0)
        {
            throw new ArgumentException($"{op}: {c} channels of '{x.Describe()}' do not split into {groups} groups.");
        }
        Affine(op, weight, bias, c, x);
        int per = c / groups, m = per * hw;
        bool grad = tape.NeedsGrad(x, weight, bias);
        var y = tape.Allocate(x.Shape, grad);
        var xhat = tape.Allocate(x.Shape);
        var rstd = tape.Allocate(new Shape(n * groups));
        StandardizeSegments(x.Data, n * groups, m, xhat.Data, rstd.Data);
        ScaleShift(xhat.Data, weight.Data, bias.Data, n, c, hw, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(GroupNormBackward.Instance, y);
            node.A = x;
            node.B = weight;
            node.C = bias;
            node.S0 = xhat;
            node.S1 = rstd;
            node.I0 = n;
            node.I1 = c;
            node.I2 = hw;
            node.I3 = groups;
        }
        return y;
    }

    /// <summary>
    /// x [N, C, H, W] or [N, C]. In training: batch statistics per channel, and the running
    /// estimates move by <paramref name="momentum"/> towards the batch mean and unbiased variance.
    /// In evaluation: the running estimates.
    /// </summary>
    public static Tensor BatchNorm(this Tape tape, Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, float momentum = 0.1f)
    {
        const string op = "batch_norm";
        var (n, c, hw) = Channels(op, x);
        Affine(op, weight, bias, c, x);
        OpError.Dim(op, runningMean, 0, c, "running mean, one per channel");
        OpError.Dim(op, runningVar, 0, c, "running variance, one per channel");
        int count = n * hw;
        bool training = tape.Training;
        if (training && count < 2)
        {
            throw new ArgumentException($"{op}: training needs more than one value per channel; input '{x.Describe()}' has {count}.");
        }
        bool grad = tape.NeedsGrad(x, weight, bias);
        var y = tape.Allocate(x.Shape, grad);
        var xhat = tape.Allocate(x.Shape);
        var rstd = tape.Allocate(new Shape(c));
        var xs = x.Data;
        var hs = xhat.Data;
        var rm = runningMean.Data;
        var rv = runningVar.Data;
        for (int ch = 0; ch < c; ch++)
        {
            float mean, variance;
            if (training)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += Reductions.Sum(xs.Slice((i * c + ch) * hw, hw));
                }
                double mu = sum / count, sq = 0;
                for (int i = 0; i < n; i++)
                {
                    foreach (float v in xs.Slice((i * c + ch) * hw, hw))
                    {
                        sq += (v - mu) * (v - mu);
                    }
                }
                mean = (float)mu;
                variance = (float)(sq / count);
                rm[ch] = (1f - momentum) * rm[ch] + momentum * mean;
                rv[ch] = (1f - momentum) * rv[ch] + momentum * (float)(sq / (count - 1));
            }
            else
            {
                mean = rm[ch];
                variance = rv[ch];
            }
            float r = 1f / MathF.Sqrt(variance + Eps);
            rstd.Data[ch] = r;
            for (int i = 0; i < n; i++)
            {
                int o = (i * c + ch) * hw;
                Normalization.Standardize(xs.Slice(o, hw), mean, r, hs.Slice(o, hw));
            }
        }
        ScaleShift(hs, weight.Data, bias.Data, n, c, hw, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(BatchNormBackward.Instance, y);
            node.A = x;
            node.B = weight;
            node.C = bias;
            node.S0 = xhat;
            node.S1 = rstd;
            node.I0 = n;
            node.I1 = c;
            node.I2 = hw;
            node.I3 = training ? 1 : 0;
        }
        return y;
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

    private sealed class LayerNormBackward : IBackward
    {
        public static readonly LayerNormBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, weight = node.B!, bias = node.C!;
            int rows = node.I0, d = node.I1;
            var dy = node.Output.Grad;
            var xhat = node.S0!.Data;
            var gamma = weight.Data;
            for (int r = 0; r < rows; r++)
            {
                var dys = dy.Slice(r * d, d);
                var hs = xhat.Slice(r * d, d);
                if (x.RequiresGrad)
                {
                    // dx = rstd·(γ⊙dy − mean(γ⊙dy) − xhat·mean(γ⊙dy⊙xhat))
                    double s1 = 0, s2 = 0;
                    for (int j = 0; j < d; j++)
                    {
                        double g = (double)gamma[j] * dys[j];
                        s1 += g;
                        s2 += g * hs[j];
                    }
                    float rstd = node.S1!.Data[r];
                    Normalization.InputGradient(dys, gamma, hs, rstd, (float)(-rstd * s1 / d), (float)(-rstd * s2 / d), x.Grad.Slice(r * d, d));
                }
                if (weight.RequiresGrad)
                {
                    TensorPrimitives.FusedMultiplyAdd(dys, hs, weight.Grad, weight.Grad);
                }
                if (bias.RequiresGrad)
                {
                    TensorPrimitives.Add(bias.Grad, dys, bias.Grad);
                }
            }
        }
    }

    private sealed class GroupNormBackward : IBackward
    {
        public static readonly GroupNormBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, weight = node.B!, bias = node.C!;
            int n = node.I0, c = node.I1, hw = node.I2, groups = node.I3, per = c / groups, m = per * hw;
            var dy = node.Output.Grad;
            var xhat = node.S0!.Data;
            var gamma = weight.Data;
            AffineGradients(weight, bias, dy, xhat, n, c, hw);
            if (!x.RequiresGrad)
            {
                return;
            }
            var dx = x.Grad;
            for (int s = 0; s < n * groups; s++)
            {
                int c0 = (s % groups) * per;
                double s1 = 0, s2 = 0;
                for (int k = 0; k < per; k++)
                {
                    int o = s * m + k * hw;
                    var (sd, sdx) = Normalization.GradientSums(dy.Slice(o, hw), xhat.Slice(o, hw));
                    s1 += gamma[c0 + k] * sd;
                    s2 += gamma[c0 + k] * sdx;
                }
                float rstd = node.S1!.Data[s];
                float a = (float)(-rstd * s1 / m), b = (float)(-rstd * s2 / m);
                for (int k = 0; k < per; k++)
                {
                    int o = s * m + k * hw;
                    Normalization.InputGradient(dy.Slice(o, hw), xhat.Slice(o, hw), gamma[c0 + k] * rstd, a, b, dx.Slice(o, hw));
                }
            }
        }
    }

    private sealed class BatchNormBackward : IBackward
    {
        public static readonly BatchNormBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, weight = node.B!, bias = node.C!;
            int n = node.I0, c = node.I1, hw = node.I2, count = n * hw;
            bool training = node.I3 == 1;
            var dy = node.Output.Grad;
            var xhat = node.S0!.Data;
            AffineGradients(weight, bias, dy, xhat, n, c, hw);
            if (!x.RequiresGrad)
            {
                return;
            }
            var dx = x.Grad;
            for (int ch = 0; ch < c; ch++)
            {
                float k = weight.Data[ch] * node.S1!.Data[ch], a = 0f, b = 0f;
                if (training)
                {
                    // Batch statistics depend on x: subtract the mean gradient and its projection on xhat.
                    double sd = 0, sdx = 0;
                    for (int i = 0; i < n; i++)
                    {
                        int o = (i * c + ch) * hw;
                        var (s1, s2) = Normalization.GradientSums(dy.Slice(o, hw), xhat.Slice(o, hw));
                        sd += s1;
                        sdx += s2;
                    }
                    a = (float)(-k * sd / count);
                    b = (float)(-k * sdx / count);
                }
                for (int i = 0; i < n; i++)
                {
                    int o = (i * c + ch) * hw;
                    Normalization.InputGradient(dy.Slice(o, hw), xhat.Slice(o, hw), k, a, b, dx.Slice(o, hw));
                }
            }
        }
    }
}
