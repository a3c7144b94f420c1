using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Ops;

/// <summary>2-D convolution by im2col and GEMM, with PyTorch's layouts: x [N, C, H, W], weight [O, C, kh, kw].</summary>
public static class ConvOps
{
    public static Tensor Conv2d(this Tape tape, Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0)
    {
        const string op = "conv2d";
        OpError.Rank(op, x, 4, "input");
        OpError.Rank(op, weight, 4, "weight");
        int n = x.Shape[0], outC = weight.Shape[0];
        if (x.Shape[1] != weight.Shape[1])
        {
            throw new ArgumentException($"{op}: input '{x.Describe()}' has {x.Shape[1]} channels but weight '{weight.Describe()}' expects {weight.Shape[1]}.");
        }
        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != outC))
        {
            throw new ArgumentException($"{op}: bias '{bias.Describe()}' must be [{outC}] to match weight '{weight.Describe()}'.");
        }
        var g = new ConvGeometry(x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[2], weight.Shape[3], stride, stride, padding, padding);
        if (!g.IsValid)
        {
            throw new ArgumentException($"{op}: kernel {weight.Shape[2]}x{weight.Shape[3]} with stride {stride} and padding {padding} does not fit input '{x.Describe()}'.");
        }
        int kRows = g.ColumnRows, cols = g.ColumnCols, inPlane = g.Channels * g.Height * g.Width, total = n * cols;
        bool grad = tape.NeedsGrad(x, weight, bias);
        var y = tape.Allocate(new Shape(n, outC, g.OutHeight, g.OutWidth), grad);
        if (WinogradPlan.Supports(g, outC))
        {
            WinogradForward(tape, x, weight, bias, g, y, grad);
            return y;
        }
        // The whole batch as one GEMM: col [C·kh·kw, N·OH·OW], product [O, N·OH·OW], then back to [N, O, OH, OW].
        var colBuffer = tape.Allocate(new Shape(kRows, total));
        var product = tape.Allocate(new Shape(outC, total));
        var xs = x.Data;
        var cs = colBuffer.Data;
        for (int s = 0; s < n; s++)
        {
            Im2Col.Unfold(g, xs.Slice(s * inPlane, inPlane), cs[(s * cols)..], total);
        }
        Gemm.Multiply(false, false, outC, total, kRows, weight.Data, kRows, cs, total, product.Data, total, false, tape.Threads);
        ChannelLayout.ToBatchAddBias(product.Data, n, outC, cols, bias is null ? default : bias.Data, y.Data);
        if (grad)
        {
            ref Node node = ref tape.Record(Conv2dBackward.Instance, y);
            node.A = x;
            node.B = weight;
            node.C = bias;
            node.S0 = colBuffer;
            node.Extra = null;
            node.I0 = stride;
            node.I1 = padding;
        }
        return y;
    }

    private static void WinogradForward(Tape tape, Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g, Tensor y, bool grad)
    {
        var plan = new WinogradPlan(g, x.Shape[0], weight.Shape[0]);
        int c = g.Channels, o = plan.OutChannels;
        var input = tape.Allocate(new Shape(plan.InputFloats));
        var filters = tape.Allocate(new Shape(plan.FilterFloats));
        var filtersTransposed = tape.Allocate(new Shape(plan.FilterFloats));
        var padded = tape.Allocate(new Shape(plan.PaddedFloats));
        var products = tape.Allocate(new Shape(plan.ProductFloats));
        var outputTiles = tape.Allocate(new Shape(plan.OutputTileFloats));
        WinogradConv.Forward(plan, x.Data, weight.Data, bias is null ? default : bias.Data,
            input.Data, filters.Data, filtersTransposed.Data, padded.Data, products.Data, outputTiles.Data, y.Data, tape.Threads);
        if (grad)
        {
            ref Node node = ref tape.Record(WinogradBackward.Instance, y);
            node.A = x;
            node.B = weight;
            node.C = bias;
            node.S0 = input;
            node.S1 = filters;
            node.Extra = null;
            node.I0 = g.PadH;
        }
    }

    /// <summary>
    /// Each example's weight and bias gradient norms from its unfolded input [C·kh·kw, OH·OW] and its
    /// output gradient [O, OH·OW]: the weight gradient is their product over output positions.
    /// </summary>
    private static bool AddSquaredNorms(Tape tape, in Node node, in ConvGeometry g, float[] parameterGradients, Span<double> squaredNorms)
    {
        Tensor x = node.A!, w = node.B!;
        int n = x.Shape[0], outC = w.Shape[0], kRows = g.ColumnRows, cols = g.ColumnCols, inPlane = g.Channels * g.Height * g.Width;
        if (PerExampleNorms.IsParameter(x, parameterGradients) || n != squaredNorms.Length)
        {
            return false;
        }
        bool weight = PerExampleNorms.IsParameter(w, parameterGradients), bias = PerExampleNorms.IsParameter(node.C, parameterGradients);
        var dy = node.Output.Grad;
        var col = tape.Allocate(new Shape(weight ? kRows * cols : 0)).Data;
        var scratch = tape.Allocate(new Shape(weight ? PerExampleNorms.OuterSumScratch(cols, outC, kRows) : 0)).Data;
        for (int s = 0; s < n; s++)
        {
            var gs = dy.Slice(s * outC * cols, outC * cols);
            if (weight)
            {
                Im2Col.Unfold(g, x.Data.Slice(s * inPlane, inPlane), col, cols);
                squaredNorms[s] += PerExampleNorms.OuterSumSquaredNorm(gs, outC, col, kRows, cols, false, scratch, tape.Threads);
            }
            if (bias)
            {
                squaredNorms[s] += PerExampleNorms.SummedSquaredNorm(gs, outC, cols, false);
            }
        }
        return true;
    }

    private static ConvGeometry WinogradGeometry(in Node node) =>
        new(node.A!.Shape[1], node.A!.Shape[2], node.A!.Shape[3], 5, 5, 1, 1, node.I0, node.I0);

    private static ConvGeometry Im2ColGeometry(in Node node)
    {
        Tensor x = node.A!, w = node.B!;
        return new ConvGeometry(x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[2], w.Shape[3], node.I0, node.I0, node.I1, node.I1);
    }

    private sealed class WinogradBackward : IBackward, IPerExampleNorms
    {
        public static readonly WinogradBackward Instance = new();

        public bool AddSquaredNorms(Tape tape, in Node node, float[] parameterGradients, Span<double> squaredNorms) =>
            ConvOps.AddSquaredNorms(tape, node, WinogradGeometry(node), parameterGradients, squaredNorms);

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, w = node.B!;
            var g = WinogradGeometry(node);
            var plan = new WinogradPlan(g, x.Shape[0], w.Shape[0]);
            int c = g.Channels, o = plan.OutChannels;
            bool dx = x.RequiresGrad, dw = w.RequiresGrad && !tape.InputGradientsOnly;
            var productGrads = tape.Allocate(new Shape(plan.ProductFloats));
            var filterGrads = tape.Allocate(new Shape(plan.FilterFloats));
            var inputGrads = tape.Allocate(new Shape(dx ? plan.InputGradFloats : 0));
            var padded = tape.Allocate(new Shape(dx ? plan.PaddedFloats : 0));
            var outputTiles = tape.Allocate(new Shape(plan.OutputTileFloats));
            WinogradConv.Backward(plan, node.Output.Grad, node.S0!.Data, node.S1!.Data,
                dw ? w.Grad : default, !tape.InputGradientsOnly && node.C is { RequiresGrad: true } b ? b.Grad : default, dx ? x.Grad : default,
                productGrads.Data, filterGrads.Data, inputGrads.Data, padded.Data, outputTiles.Data, tape.Threads);
        }
    }

    private sealed class Conv2dBackward : IBackward, IPerExampleNorms
    {
        public static readonly Conv2dBackward Instance = new();

        public bool AddSquaredNorms(Tape tape, in Node node, float[] parameterGradients, Span<double> squaredNorms) =>
            ConvOps.AddSquaredNorms(tape, node, Im2ColGeometry(node), parameterGradients, squaredNorms);

        /// <summary>Column-gradient floats per chunk of samples: about an L2 cache (512 KiB) or one sample.</summary>
        private const int DcolChunkFloats = 128 * 1024;

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, w = node.B!, y = node.Output;
            var g = Im2ColGeometry(node);
            int n = x.Shape[0], outC = w.Shape[0], kRows = g.ColumnRows, cols = g.ColumnCols, inPlane = g.Channels * g.Height * g.Width;
            int total = n * cols;
            var cs = node.S0!.Data;
            // dy as [O, N·OH·OW], the layout the forward product had.
            var dproduct = tape.Allocate(new Shape(outC, total)).Data;
            ChannelLayout.ToChannels(y.Grad, n, outC, cols, dproduct);
            bool parameters = !tape.InputGradientsOnly;
            if (parameters && w.RequiresGrad)
            {
                Gemm.Multiply(false, true, outC, kRows, total, dproduct, total, cs, total, w.Grad, kRows, true, tape.Threads);
            }
            if (parameters && node.C is { RequiresGrad: true } b)
            {
                var bg = b.Grad;
                for (int o = 0; o < outC; o++)
                {
                    bg[o] += (float)Reductions.Sum(dproduct.Slice(o * total, total));
                }
            }
            if (x.RequiresGrad)
            {
                // A few samples at a time, so that the column gradient is folded while it is still in cache.
                int chunk = Math.Clamp(DcolChunkFloats / Math.Max(1, kRows * cols), 1, Math.Max(1, n));
                var dcol = tape.Allocate(new Shape(kRows, chunk * cols)).Data;
                var dx = x.Grad;
                for (int s0 = 0; s0 < n; s0 += chunk)
                {
                    int count = Math.Min(chunk, n - s0), width = count * cols;
                    Gemm.Multiply(true, false, kRows, width, outC, w.Data, kRows, dproduct[(s0 * cols)..], total, dcol, width, false, tape.Threads);
                    for (int s = 0; s < count; s++)
                    {
                        Im2Col.FoldAdd(g, dcol[(s * cols)..], dx.Slice((s0 + s) * inPlane, inPlane), width);
                    }
                }
            }
        }
    }
}
