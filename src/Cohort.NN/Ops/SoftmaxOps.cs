using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Ops;

/// <summary>Softmax and log-softmax over the last dimension.</summary>
public static class SoftmaxOps
{
    public static Tensor Softmax(this Tape tape, Tensor x)
    {
        var (rows, cols) = Rows(x);
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(x.Shape, grad);
        Softmaxes.Softmax(x.Data, y.Data, rows, cols);
        if (grad)
        {
            ref Node node = ref tape.Record(SoftmaxBackward.Instance, y);
            node.A = x;
            node.I0 = rows;
            node.I1 = cols;
        }
        return y;
    }

    public static Tensor LogSoftmax(this Tape tape, Tensor x)
    {
        var (rows, cols) = Rows(x);
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(x.Shape, grad);
        Softmaxes.LogSoftmax(x.Data, y.Data, rows, cols);
        if (grad)
        {
            ref Node node = ref tape.Record(LogSoftmaxBackward.Instance, y);
            node.A = x;
            node.I0 = rows;
            node.I1 = cols;
        }
        return y;
    }

    private static (int Rows, int Cols) Rows(Tensor x)
    {
        if (x.Shape.Rank < 1)
        {
            throw new ArgumentException($"softmax: '{x.Describe()}' needs at least one dimension.");
        }
        int cols = x.Shape[x.Shape.Rank - 1];
        return (cols == 0 ? 0 : x.Size / cols, cols);
    }

    private sealed class SoftmaxBackward : IBackward
    {
        public static readonly SoftmaxBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            if (!node.A!.RequiresGrad)
            {
                return;
            }
            // dx = y ⊙ (dy − Σ dy·y)
            int rows = node.I0, cols = node.I1;
            var y = node.Output.Data;
            var dy = node.Output.Grad;
            var dx = node.A.Grad;
            for (int r = 0; r < rows; r++)
            {
                int o = r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++)
                {
                    dot += (double)dy[o + j] * y[o + j];
                }
                for (int j = 0; j < cols; j++)
                {
                    dx[o + j] += y[o + j] * (dy[o + j] - (float)dot);
                }
            }
        }
    }

    private sealed class LogSoftmaxBackward : IBackward
    {
        public static readonly LogSoftmaxBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            if (!node.A!.RequiresGrad)
            {
                return;
            }
            // dx = dy − softmax(x) · Σ dy
            int rows = node.I0, cols = node.I1;
            var y = node.Output.Data;
            var dy = node.Output.Grad;
            var dx = node.A.Grad;
            for (int r = 0; r < rows; r++)
            {
                int o = r * cols;
                double sum = 0;
                for (int j = 0; j < cols; j++)
                {
                    sum += dy[o + j];
                }
                for (int j = 0; j < cols; j++)
                {
                    dx[o + j] += dy[o + j] - MathF.Exp(y[o + j]) * (float)sum;
                }
            }
        }
    }
}
