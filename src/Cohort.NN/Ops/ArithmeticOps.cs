using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Addition, multiplication, sums and means. Add and Multiply broadcast a right operand whose shape is the trailing part of the left's.</summary>
public static class ArithmeticOps
{
    public static Tensor Add(this Tape tape, Tensor a, Tensor b)
    {
        int inner = Broadcast("add", a, b);
        bool grad = tape.NeedsGrad(a, b);
        var y = tape.Allocate(a.Shape, grad);
        var ys = y.Data;
        var bs = b.Data;
        for (int o = 0; o < ys.Length; o += inner)
        {
            TensorPrimitives.Add(a.Data.Slice(o, inner), bs, ys.Slice(o, inner));
        }
        if (grad)
        {
            ref Node node = ref tape.Record(AddBackward.Instance, y);
            node.A = a;
            node.B = b;
        }
        return y;
    }

    public static Tensor Multiply(this Tape tape, Tensor a, Tensor b)
    {
        int inner = Broadcast("multiply", a, b);
        bool grad = tape.NeedsGrad(a, b);
        var y = tape.Allocate(a.Shape, grad);
        var ys = y.Data;
        var bs = b.Data;
        for (int o = 0; o < ys.Length; o += inner)
        {
            TensorPrimitives.Multiply(a.Data.Slice(o, inner), bs, ys.Slice(o, inner));
        }
        if (grad)
        {
            ref Node node = ref tape.Record(MultiplyBackward.Instance, y);
            node.A = a;
            node.B = b;
        }
        return y;
    }

    /// <summary>y = a · s for a constant s.</summary>
    public static Tensor Scale(this Tape tape, Tensor a, float s)
    {
        bool grad = tape.NeedsGrad(a);
        var y = tape.Allocate(a.Shape, grad);
        TensorPrimitives.Multiply(a.Data, s, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(ScaleBackward.Instance, y);
            node.A = a;
            node.F0 = s;
        }
        return y;
    }

    /// <summary>Sum of all elements, a scalar.</summary>
    public static Tensor Sum(this Tape tape, Tensor a) => Total(tape, a, 1f);

    /// <summary>Mean of all elements, a scalar.</summary>
    public static Tensor Mean(this Tape tape, Tensor a) => Total(tape, a, a.Size == 0 ? 0f : 1f / a.Size);

    private static Tensor Total(Tape tape, Tensor a, float scale)
    {
        bool grad = tape.NeedsGrad(a);
        var y = tape.Allocate(Shape.Scalar, grad);
        y.Data[0] = (float)(Reductions.Sum(a.Data) * scale);
        if (grad)
        {
            ref Node node = ref tape.Record(ScaleBackward.Instance, y);
            node.A = a;
            node.F0 = scale;
        }
        return y;
    }

    private static int Broadcast(string op, Tensor a, Tensor b)
    {
        int ra = a.Shape.Rank, rb = b.Shape.Rank;
        bool ok = rb <= ra;
        for (int i = 0; ok && i < rb; i++)
        {
            ok = a.Shape[ra - rb + i] == b.Shape[i];
        }
        if (!ok)
        {
            throw new ArgumentException($"{op}: '{b.Describe()}' does not broadcast to '{a.Describe()}' (its shape must equal the trailing dimensions).");
        }
        return b.Size;
    }

    private sealed class AddBackward : IBackward
    {
        public static readonly AddBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor a = node.A!, b = node.B!;
            var dy = node.Output.Grad;
            if (a.RequiresGrad)
            {
                TensorPrimitives.Add(a.Grad, dy, a.Grad);
            }
            if (b.RequiresGrad)
            {
                Reductions.AddRowsInto(dy, b.Size == 0 ? 0 : dy.Length / b.Size, b.Size, b.Grad);
            }
        }
    }

    private sealed class MultiplyBackward : IBackward
    {
        public static readonly MultiplyBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor a = node.A!, b = node.B!;
            var dy = node.Output.Grad;
            int inner = b.Size;
            for (int o = 0; o < dy.Length; o += inner)
            {
                var g = dy.Slice(o, inner);
                if (a.RequiresGrad)
                {
                    TensorPrimitives.FusedMultiplyAdd(g, b.Data, a.Grad.Slice(o, inner), a.Grad.Slice(o, inner));
                }
                if (b.RequiresGrad)
                {
                    TensorPrimitives.FusedMultiplyAdd(g, a.Data.Slice(o, inner), b.Grad, b.Grad);
                }
            }
        }
    }

    private sealed class ScaleBackward : IBackward
    {
        public static readonly ScaleBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor a = node.A!;
            if (!a.RequiresGrad)
            {
                return;
            }
            var dy = node.Output.Grad;
            if (dy.Length == 1 && a.Size != 1)
            {
                TensorPrimitives.Add(a.Grad, dy[0] * node.F0, a.Grad);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(dy, node.F0, a.Grad, a.Grad);
            }
        }
    }
}
