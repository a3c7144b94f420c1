using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Layer normalisation over the last dimension.</summary>
public static partial class NormOps
{
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
}
