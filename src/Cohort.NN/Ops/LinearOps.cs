using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Ops;

/// <summary>Matrix products: a fully connected layer with PyTorch's weight layout [out, in], and a plain matmul.</summary>
public static class LinearOps
{
    /// <summary>y[n, out] = x[n, in] · wᵀ + b, for x of any rank whose last dimension is <c>in</c>.</summary>
    public static Tensor Linear(this Tape tape, Tensor x, Tensor weight, Tensor? bias)
    {
        const string op = "linear";
        OpError.Rank(op, weight, 2, "weight");
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        if (x.Shape.Rank < 1 || x.Shape[x.Shape.Rank - 1] != inFeatures)
        {
            throw new ArgumentException($"{op}: input '{x.Describe()}' must end in {inFeatures} features to match weight '{weight.Describe()}'.");
        }
        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != outFeatures))
        {
            throw new ArgumentException($"{op}: bias '{bias.Describe()}' must be [{outFeatures}] to match weight '{weight.Describe()}'.");
        }
        int rows = x.Size / Math.Max(1, inFeatures);
        bool grad = tape.NeedsGrad(x, weight, bias);
        var y = tape.Allocate(x.Shape.With(x.Shape.Rank - 1, outFeatures), grad);
        var ys = y.Data;
        if (bias is not null)
        {
            var bs = bias.Data;
            for (int i = 0; i < rows; i++)
            {
                bs.CopyTo(ys.Slice(i * outFeatures, outFeatures));
            }
        }
        Gemm.Multiply(false, true, rows, outFeatures, inFeatures, x.Data, inFeatures, weight.Data, inFeatures, ys, outFeatures, bias is not null, tape.Threads);
        if (grad)
        {
            ref Node node = ref tape.Record(LinearBackward.Instance, y);
            node.A = x;
            node.B = weight;
            node.C = bias;
            node.I0 = rows;
        }
        return y;
    }

    /// <summary>c[m, n] = a[m, k] · b[k, n].</summary>
    public static Tensor MatMul(this Tape tape, Tensor a, Tensor b)
    {
        const string op = "matmul";
        OpError.Rank(op, a, 2, "left operand");
        OpError.Rank(op, b, 2, "right operand");
        if (a.Shape[1] != b.Shape[0])
        {
            throw new ArgumentException($"{op}: inner dimensions differ: '{a.Describe()}' and '{b.Describe()}'.");
        }
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        bool grad = tape.NeedsGrad(a, b);
        var c = tape.Allocate(new Shape(m, n), grad);
        Gemm.Multiply(false, false, m, n, k, a.Data, k, b.Data, n, c.Data, n, false, tape.Threads);
        if (grad)
        {
            ref Node node = ref tape.Record(MatMulBackward.Instance, c);
            node.A = a;
            node.B = b;
        }
        return c;
    }

    private sealed class LinearBackward : IBackward, IFusableWeightUpdate, IPerExampleNorms
    {
        public static readonly LinearBackward Instance = new();

        /// <summary>Example i's rows of x and dy (T = rows / N of them) give its weight and bias gradients.</summary>
        public bool AddSquaredNorms(Tape tape, in Node node, float[] parameterGradients, Span<double> squaredNorms)
        {
            Tensor x = node.A!, w = node.B!;
            int n = squaredNorms.Length, rows = node.I0, outF = w.Shape[0], inF = w.Shape[1];
            if (PerExampleNorms.IsParameter(x, parameterGradients) || n == 0 || rows % n != 0)
            {
                return false;
            }
            int t = rows / n;
            bool weight = PerExampleNorms.IsParameter(w, parameterGradients), bias = PerExampleNorms.IsParameter(node.C, parameterGradients);
            var dy = node.Output.Grad;
            var xs = x.Data;
            var scratch = tape.Allocate(new Shape(weight ? PerExampleNorms.OuterSumScratch(t, outF, inF) : 0)).Data;
            for (int i = 0; i < n; i++)
            {
                var g = dy.Slice(i * t * outF, t * outF);
                if (weight)
                {
                    squaredNorms[i] += PerExampleNorms.OuterSumSquaredNorm(g, outF, xs.Slice(i * t * inF, t * inF), inF, t, true, scratch, tape.Threads);
                }
                if (bias)
                {
                    squaredNorms[i] += PerExampleNorms.SummedSquaredNorm(g, outF, t, true);
                }
            }
            return true;
        }

        public Tensor? FusableWeight(in Node node) => node.I0 <= Gemm.ScaledUpdateMaxDepth ? node.B : null;

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, w = node.B!, y = node.Output;
            int rows = node.I0, outF = w.Shape[0], inF = w.Shape[1];
            var dy = y.Grad;
            bool parameters = !tape.InputGradientsOnly;
            // The input gradient first: it needs the weight before a fused update changes it.
            if (x.RequiresGrad)
            {
                Gemm.Multiply(false, false, rows, inF, outF, dy, outF, w.Data, inF, x.Grad, inF, true, tape.Threads);
            }
            if (!parameters)
            {
                return;
            }
            if (w.RequiresGrad && tape.FusedSgd is { } fused && fused.Applies(w))
            {
                // θ += −η·(dyᵀ·x): the step plain SGD would take on the gradient, without writing it.
                Gemm.MultiplyAddScaled(true, false, outF, inF, rows, dy, outF, x.Data, inF, w.Data, inF, fused.MinusLearningRate, tape.Threads);
            }
            else if (w.RequiresGrad)
            {
                Gemm.Multiply(true, false, outF, inF, rows, dy, outF, x.Data, inF, w.Grad, inF, true, tape.Threads);
            }
            if (node.C is { RequiresGrad: true } b)
            {
                Reductions.AddRowsInto(dy, rows, outF, b.Grad);
            }
        }
    }

    private sealed class MatMulBackward : IBackward
    {
        public static readonly MatMulBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor a = node.A!, b = node.B!;
            int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
            var dc = node.Output.Grad;
            if (a.RequiresGrad)
            {
                Gemm.Multiply(false, true, m, k, n, dc, n, b.Data, n, a.Grad, k, true, tape.Threads);
            }
            if (b.RequiresGrad)
            {
                Gemm.Multiply(true, false, k, n, m, a.Data, k, dc, n, b.Grad, n, true, tape.Threads);
            }
        }
    }
}
