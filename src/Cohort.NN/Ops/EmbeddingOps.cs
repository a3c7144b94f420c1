using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Cohort.Tensors;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>Embedding lookup: rows of a table [num, dim] picked by integer indices stored as floats.</summary>
public static class EmbeddingOps
{
    /// <summary>y[…, :] = weight[indices[…], :]; the output shape is indices.shape + [dim].</summary>
    public static Tensor Embedding(this Tape tape, Tensor indices, Tensor weight)
    {
        const string op = "embedding";
        OpError.Rank(op, weight, 2, "weight");
        if (indices.Shape.Rank >= Shape.MaxRank)
        {
            throw new ArgumentException($"{op}: indices '{indices.Describe()}' have {indices.Shape.Rank} dimensions; at most {Shape.MaxRank - 1} leave room for the embedding dimension.");
        }
        int num = weight.Shape[0], dim = weight.Shape[1], count = indices.Size;
        var ids = tape.Ints(count);
        var values = indices.Data;
        for (int i = 0; i < count; i++)
        {
            float v = values[i];
            if (!(v >= 0f && v < num) || v != MathF.Floor(v))
            {
                throw new ArgumentException($"{op}: index {v} at position {i} of '{indices.Describe()}' is not a row of table '{weight.Describe()}' (size {num}; valid indices are 0 to {num - 1}).");
            }
            ids[i] = (int)v;
        }
        Span<int> dims = stackalloc int[Shape.MaxRank];
        indices.Shape.CopyTo(dims);
        dims[indices.Shape.Rank] = dim;
        bool grad = tape.NeedsGrad(weight);
        var y = tape.Allocate(Shape.Of(dims[..(indices.Shape.Rank + 1)]), grad);
        var ys = y.Data;
        var ws = weight.Data;
        for (int i = 0; i < count; i++)
        {
            ws.Slice(ids[i] * dim, dim).CopyTo(ys.Slice(i * dim, dim));
        }
        if (grad)
        {
            ref Node node = ref tape.Record(EmbeddingBackward.Instance, y);
            node.A = weight;
            node.Ints = ids;
            node.I0 = count;
        }
        return y;
    }

    private sealed class EmbeddingBackward : IBackward, IPerExampleNorms
    {
        public static readonly EmbeddingBackward Instance = new();

        /// <summary>
        /// Example i's table gradient adds its positions' output gradients into their rows, so its
        /// squared norm is Σ over position pairs with the same index of g_t·g_s.
        /// </summary>
        public bool AddSquaredNorms(Tape tape, in Node node, float[] parameterGradients, Span<double> squaredNorms)
        {
            int n = squaredNorms.Length, count = node.I0, dim = node.A!.Shape[1];
            if (n == 0 || count % n != 0)
            {
                return false;
            }
            int t = count / n;
            var ids = node.Ints!;
            var dy = node.Output.Grad;
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int p = i * t; p < (i + 1) * t; p++)
                {
                    for (int q = i * t; q < (i + 1) * t; q++)
                    {
                        if (ids[p] == ids[q])
                        {
                            sum += TensorPrimitives.Dot(dy.Slice(p * dim, dim), dy.Slice(q * dim, dim));
                        }
                    }
                }
                squaredNorms[i] += sum;
            }
            return true;
        }

        public void Backward(Tape tape, ref Node node)
        {
            Tensor weight = node.A!;
            if (!weight.RequiresGrad)
            {
                return;
            }
            int dim = weight.Shape[1];
            var ids = node.Ints!;
            var dy = node.Output.Grad;
            var dw = weight.Grad;
            for (int i = 0; i < node.I0; i++)
            {
                var row = dw.Slice(ids[i] * dim, dim);
                TensorPrimitives.Add(row, dy.Slice(i * dim, dim), row);
            }
        }
    }
}
