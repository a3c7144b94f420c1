using Cohort.NN.Autograd;
using Cohort.Tensors;

namespace Cohort.NN.Ops;

/// <summary>Reshape and flatten: views sharing data and gradient memory, so backward needs no node.</summary>
public static class ShapeOps
{
    public static Tensor Reshape(this Tape tape, Tensor x, Shape shape) => tape.View(x, shape);

    /// <summary>[N, …] → [N, rest], channel-first as PyTorch's flatten(1).</summary>
    public static Tensor Flatten(this Tape tape, Tensor x)
    {
        if (x.Shape.Rank < 1)
        {
            throw new ArgumentException($"flatten: '{x.Describe()}' has no batch dimension.");
        }
        return tape.View(x, new Shape(x.Shape[0], x.Shape.SizeFrom(1)));
    }
}
