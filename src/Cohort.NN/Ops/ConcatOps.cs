using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Concatenation of up to four tensors along one axis.</summary>
public static class ConcatOps
{
    public const int MaxInputs = 4;

    /// <summary>Joins tensors of equal shape except along <paramref name="axis"/> (negative counts from the end).</summary>
    public static Tensor Concat(this Tape tape, int axis, params ReadOnlySpan<Tensor> tensors)
    {
        const string op = "concat";
        if (tensors.Length == 0 || tensors.Length > MaxInputs)
        {
            throw new ArgumentException($"{op}: takes 1 to {MaxInputs} tensors; got {tensors.Length}.");
        }
        var first = tensors[0];
        int rank = first.Shape.Rank;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new ArgumentException($"{op}: axis {axis} is outside the {rank} dimensions of '{first.Describe()}'.");
        }
        int total = 0;
        bool grad = false;
        foreach (var t in tensors)
        {
            bool same = t.Shape.Rank == rank;
            for (int d = 0; same && d < rank; d++)
            {
                same = d == a || t.Shape[d] == first.Shape[d];
            }
            if (!same)
            {
                throw new ArgumentException($"{op}: '{t.Describe()}' does not match '{first.Describe()}' outside axis {a}.");
            }
            total += t.Shape[a];
            grad |= tape.NeedsGrad(t);
        }
        int outer = 1;
        for (int d = 0; d < a; d++)
        {
            outer *= first.Shape[d];
        }
        int inner = first.Shape.SizeFrom(a + 1);
        var y = tape.Allocate(first.Shape.With(a, total), grad);
        var ys = y.Data;
        int row = total * inner, offset = 0;
        foreach (var t in tensors)
        {
            int chunk = t.Shape[a] * inner;
            var ts = t.Data;
            for (int o = 0; o < outer; o++)
            {
                ts.Slice(o * chunk, chunk).CopyTo(ys.Slice(o * row + offset, chunk));
            }
            offset += chunk;
        }
        if (grad)
        {
            ref Node node = ref tape.Record(ConcatBackward.Instance, y);
            node.A = tensors[0];
            node.B = tensors.Length > 1 ? tensors[1] : null;
            node.C = tensors.Length > 2 ? tensors[2] : null;
            node.D = tensors.Length > 3 ? tensors[3] : null;
            node.I0 = a;
            node.I1 = outer;
            node.I2 = inner;
        }
        return y;
    }

    private sealed class ConcatBackward : IBackward
    {
        public static readonly ConcatBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            var dy = node.Output.Grad;
            int axis = node.I0, outer = node.I1, inner = node.I2;
            int row = node.Output.Shape[axis] * inner, offset = 0;
            offset = Scatter(node.A, dy, axis, outer, inner, row, offset);
            offset = Scatter(node.B, dy, axis, outer, inner, row, offset);
            offset = Scatter(node.C, dy, axis, outer, inner, row, offset);
            Scatter(node.D, dy, axis, outer, inner, row, offset);
        }

        private static int Scatter(Tensor? t, ReadOnlySpan<float> dy, int axis, int outer, int inner, int row, int offset)
        {
            if (t is null)
            {
                return offset;
            }
            int chunk = t.Shape[axis] * inner;
            if (t.RequiresGrad)
            {
                var dx = t.Grad;
                for (int o = 0; o < outer; o++)
                {
                    var src = dy.Slice(o * row + offset, chunk);
                    var dst = dx.Slice(o * chunk, chunk);
                    TensorPrimitives.Add(dst, src, dst);
                }
            }
            return offset + chunk;
        }
    }
}
