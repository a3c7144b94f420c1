using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Ops;

/// <summary>Element-wise activations: ReLU, tanh, sigmoid, GELU.</summary>
public static class ActivationOps
{
    public static Tensor Relu(this Tape tape, Tensor x) => Apply(tape, x, ReluBackward.Instance, Activations.Relu);

    public static Tensor Tanh(this Tape tape, Tensor x) => Apply(tape, x, TanhBackward.Instance, Activations.Tanh);

    public static Tensor Sigmoid(this Tape tape, Tensor x) => Apply(tape, x, SigmoidBackward.Instance, Activations.Sigmoid);

    public static Tensor Gelu(this Tape tape, Tensor x) => Apply(tape, x, GeluBackward.Instance, Activations.Gelu);

    private delegate void Forward(ReadOnlySpan<float> x, Span<float> y);

    private static Tensor Apply(Tape tape, Tensor x, IBackward backward, Forward forward)
    {
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(x.Shape, grad);
        forward(x.Data, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(backward, y);
            node.A = x;
        }
        return y;
    }

    private sealed class ReluBackward : IBackward
    {
        public static readonly ReluBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            if (node.A!.RequiresGrad)
            {
                Activations.ReluBackward(node.Output.Data, node.Output.Grad, node.A.Grad);
            }
        }
    }

    private sealed class TanhBackward : IBackward
    {
        public static readonly TanhBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            if (node.A!.RequiresGrad)
            {
                Activations.TanhBackward(node.Output.Data, node.Output.Grad, node.A.Grad);
            }
        }
    }

    private sealed class SigmoidBackward : IBackward
    {
        public static readonly SigmoidBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            if (node.A!.RequiresGrad)
            {
                Activations.SigmoidBackward(node.Output.Data, node.Output.Grad, node.A.Grad);
            }
        }
    }

    private sealed class GeluBackward : IBackward
    {
        public static readonly GeluBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            if (node.A!.RequiresGrad)
            {
                Activations.GeluBackward(node.A.Data, node.Output.Grad, node.A.Grad);
            }
        }
    }
}
