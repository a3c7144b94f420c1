using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Ops;

/// <summary>2-D max and average pooling over x [N, C, H, W] (average counts padding, as PyTorch's default).</summary>
public static class PoolOps
{
    public static Tensor MaxPool2d(this Tape tape, Tensor x, int kernel, int stride = 0, int padding = 0)
    {
        var g = Geometry("max_pool2d", x, kernel, stride, padding);
        int planes = x.Shape[0] * x.Shape[1];
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(new Shape(x.Shape[0], x.Shape[1], g.OutHeight, g.OutWidth), grad);
        var argmax = tape.Ints(y.Size);
        Pooling.MaxForward(g, planes, x.Data, y.Data, argmax);
        if (grad)
        {
            ref Node node = ref tape.Record(MaxBackward.Instance, y);
            node.A = x;
            node.Ints = argmax;
            node.I0 = planes;
        }
        return y;
    }

    public static Tensor AvgPool2d(this Tape tape, Tensor x, int kernel, int stride = 0, int padding = 0)
    {
        var g = Geometry("avg_pool2d", x, kernel, stride, padding);
        int planes = x.Shape[0] * x.Shape[1];
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(new Shape(x.Shape[0], x.Shape[1], g.OutHeight, g.OutWidth), grad);
        Pooling.AverageForward(g, planes, x.Data, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(AverageBackward.Instance, y);
            node.A = x;
            node.I0 = kernel;
            node.I1 = stride <= 0 ? kernel : stride;
            node.I2 = padding;
        }
        return y;
    }

    private static ConvGeometry Geometry(string op, Tensor x, int kernel, int stride, int padding)
    {
        OpError.Rank(op, x, 4, "input");
        if (stride <= 0)
        {
            stride = kernel;
        }
        var g = new ConvGeometry(1, x.Shape[2], x.Shape[3], kernel, kernel, stride, stride, padding, padding);
        if (!g.IsValid || padding * 2 > kernel)
        {
            throw new ArgumentException($"{op}: kernel {kernel}, stride {stride}, padding {padding} do not fit input '{x.Describe()}'.");
        }
        return g;
    }

    private sealed class MaxBackward : IBackward
    {
        public static readonly MaxBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, y = node.Output;
            if (x.RequiresGrad)
            {
                Pooling.MaxBackward(node.I0, x.Shape[2] * x.Shape[3], y.Shape[2] * y.Shape[3], y.Grad, node.Ints!, x.Grad);
            }
        }
    }

    private sealed class AverageBackward : IBackward
    {
        public static readonly AverageBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!;
            if (x.RequiresGrad)
            {
                var g = new ConvGeometry(1, x.Shape[2], x.Shape[3], node.I0, node.I0, node.I1, node.I1, node.I2, node.I2);
                Pooling.AverageBackward(g, x.Shape[0] * x.Shape[1], node.Output.Grad, x.Grad);
            }
        }
    }
}
