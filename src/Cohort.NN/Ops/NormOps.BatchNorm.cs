using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Batch normalisation with running statistics.</summary>
public static partial class NormOps
{
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
