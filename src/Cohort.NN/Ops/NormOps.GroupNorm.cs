using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Group normalisation over groups of channels of each sample.</summary>
public static partial class NormOps
{
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

    private sealed class GroupNormBackward : IBackward, IPerExampleNorms
    {
        public static readonly GroupNormBackward Instance = new();

        /// <summary>Example i's scale gradient is Σ_hw dy·x̂ per channel, its shift gradient Σ_hw dy (statistics are per example).</summary>
        public bool AddSquaredNorms(Tape tape, in Node node, float[] parameterGradients, Span<double> squaredNorms)
        {
            int n = node.I0, c = node.I1, hw = node.I2;
            if (PerExampleNorms.IsParameter(node.A, parameterGradients) || n != squaredNorms.Length)
            {
                return false;
            }
            bool scale = PerExampleNorms.IsParameter(node.B, parameterGradients), shift = PerExampleNorms.IsParameter(node.C, parameterGradients);
            var dy = node.Output.Grad;
            var xhat = node.S0!.Data;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < c; k++)
                {
                    int o = (i * c + k) * hw;
                    double sd = 0, sdx = 0;
                    for (int j = o; j < o + hw; j++)
                    {
                        sd += dy[j];
                        sdx += (double)dy[j] * xhat[j];
                    }
                    squaredNorms[i] += (scale ? sdx * sdx : 0) + (shift ? sd * sd : 0);
                }
            }
            return true;
        }

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
}
