using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1−p).</summary>
public static class DropoutOps
{
    public static Tensor Dropout(this Tape tape, Tensor x, float p)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"dropout: probability {p} for input '{x.Describe()}' is outside [0, 1].");
        }
        if (!tape.Training || p == 0f)
        {
            return x;
        }
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(x.Shape, grad);
        // The mask holds the factor each element is multiplied by (0 or 1/(1−p)); backward reuses it.
        var mask = tape.Allocate(x.Shape);
        var m = mask.Data;
        float keep = p == 1f ? 0f : 1f / (1f - p);
        ref var random = ref tape.Random;
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = random.NextFloat() < p ? 0f : keep;
        }
        TensorPrimitives.Multiply(x.Data, m, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(DropoutBackward.Instance, y);
            node.A = x;
            node.S0 = mask;
        }
        return y;
    }

    private sealed class DropoutBackward : IBackward
    {
        public static readonly DropoutBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!;
            if (x.RequiresGrad)
            {
                TensorPrimitives.FusedMultiplyAdd(node.Output.Grad, node.S0!.Data, x.Grad, x.Grad);
            }
        }
    }
}
