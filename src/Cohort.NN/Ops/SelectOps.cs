using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Cohort.Tensors;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Picks one index along an axis, dropping that axis (PyTorch's x.select(axis, index), e.g. an LSTM's last step).</summary>
public static class SelectOps
{
    public static Tensor Select(this Tape tape, Tensor x, int axis, int index)
    {
        const string op = "select";
        int rank = x.Shape.Rank;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new ArgumentException($"{op}: axis {axis} is outside the {rank} dimensions of '{x.Describe()}'.");
        }
        int length = x.Shape[a];
        int i = index < 0 ? index + length : index;
        if (i < 0 || i >= length)
        {
            throw new ArgumentException($"{op}: index {index} is outside the {length} entries of axis {a} of '{x.Describe()}'.");
        }
        Span<int> dims = stackalloc int[Shape.MaxRank];
        int outer = 1, k = 0;
        for (int d = 0; d < rank; d++)
        {
            if (d < a)
            {
                outer *= x.Shape[d];
            }
            if (d != a)
            {
                dims[k++] = x.Shape[d];
            }
        }
        int inner = x.Shape.SizeFrom(a + 1);
        bool grad = tape.NeedsGrad(x);
        var y = tape.Allocate(Shape.Of(dims[..k]), grad);
        var xs = x.Data;
        var ys = y.Data;
        for (int o = 0; o < outer; o++)
        {
            xs.Slice((o * length + i) * inner, inner).CopyTo(ys.Slice(o * inner, inner));
        }
        if (grad)
        {
            ref Node node = ref tape.Record(SelectBackward.Instance, y);
            node.A = x;
            node.I0 = outer;
            node.I1 = length;
            node.I2 = i;
            node.I3 = inner;
        }
        return y;
    }

    private sealed class SelectBackward : IBackward
    {
        public static readonly SelectBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!;
            if (!x.RequiresGrad)
            {
                return;
            }
            int outer = node.I0, length = node.I1, i = node.I2, inner = node.I3;
            var dy = node.Output.Grad;
            var dx = x.Grad;
            for (int o = 0; o < outer; o++)
            {
                var dst = dx.Slice((o * length + i) * inner, inner);
                TensorPrimitives.Add(dst, dy.Slice(o * inner, inner), dst);
            }
        }
    }
}
