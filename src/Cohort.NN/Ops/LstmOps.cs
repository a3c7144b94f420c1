using System.Numerics.Tensors;
using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.NN.Ops;

/// <summary>
/// LSTM over batch-first sequences x [N, T, in] with PyTorch's parameter layout and gate order
/// (i, f, g, o), zero initial state, back-propagation through time.
/// </summary>
public static class LstmOps
{
    /// <summary>A stack of layers; <paramref name="parameters"/> holds weight_ih, weight_hh, bias_ih, bias_hh for each layer in turn. Returns the last layer's h [N, T, H].</summary>
    public static Tensor Lstm(this Tape tape, Tensor x, ReadOnlySpan<Tensor> parameters)
    {
        if (parameters.Length == 0 || parameters.Length % 4 != 0)
        {
            throw new ArgumentException($"lstm: expected 4 parameters per layer (weight_ih, weight_hh, bias_ih, bias_hh); got {parameters.Length} for input '{x.Describe()}'.");
        }
        var h = x;
        for (int l = 0; l < parameters.Length; l += 4)
        {
            h = tape.LstmLayer(h, parameters[l], parameters[l + 1], parameters[l + 2], parameters[l + 3]);
        }
        return h;
    }

    /// <summary>One layer: weight_ih [4H, in], weight_hh [4H, H], bias_ih [4H], bias_hh [4H]; returns h [N, T, H].</summary>
    public static Tensor LstmLayer(this Tape tape, Tensor x, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        const string op = "lstm";
        OpError.Rank(op, x, 3, "input [N, T, features]");
        OpError.Rank(op, weightIh, 2, "weight_ih");
        OpError.Rank(op, weightHh, 2, "weight_hh");
        int n = x.Shape[0], steps = x.Shape[1], inputs = x.Shape[2], hidden = weightHh.Shape[1], g = 4 * hidden;
        if (weightHh.Shape[0] != g)
        {
            throw new ArgumentException($"{op}: weight_hh '{weightHh.Describe()}' must be [4H, H] = [{g}, {hidden}].");
        }
        if (weightIh.Shape[0] != g || weightIh.Shape[1] != inputs)
        {
            throw new ArgumentException($"{op}: weight_ih '{weightIh.Describe()}' must be [{g}, {inputs}] for input '{x.Describe()}' and weight_hh '{weightHh.Describe()}'.");
        }
        if (biasIh.Shape != new Shape(g) || biasHh.Shape != new Shape(g))
        {
            throw new ArgumentException($"{op}: bias_ih '{biasIh.Describe()}' and bias_hh '{biasHh.Describe()}' must both be [{g}].");
        }
        bool grad = tape.NeedsGrad(x, weightIh, weightHh) || tape.NeedsGrad(biasIh, biasHh);
        var y = tape.Allocate(new Shape(n, steps, hidden), grad);
        // Saved for backward: activated gates, cell states and their tanh, per (sample, step).
        var gates = tape.Allocate(new Shape(n * steps, g));
        var cells = tape.Allocate(new Shape(n, steps, hidden));
        var tanhCells = tape.Allocate(new Shape(n, steps, hidden));
        var zero = tape.Allocate(new Shape(hidden));
        zero.Data.Clear();

        var gs = gates.Data;
        var ys = y.Data;
        var cs = cells.Data;
        var ts = tanhCells.Data;
        int rows = n * steps;
        if (rows > 0)
        {
            TensorPrimitives.Add(biasIh.Data, biasHh.Data, gs[..g]);
            for (int r = 1; r < rows; r++)
            {
                gs[..g].CopyTo(gs.Slice(r * g, g));
            }
        }
        // The input projection of all steps at once; only the recurrent product is sequential.
        Gemm.Multiply(false, true, rows, g, inputs, x.Data, inputs, weightIh.Data, inputs, gs, g, true, tape.Threads);
        for (int t = 0; t < steps; t++)
        {
            if (t > 0)
            {
                Gemm.Multiply(false, true, n, g, hidden, ys[((t - 1) * hidden)..], steps * hidden, weightHh.Data, hidden, gs[(t * g)..], steps * g, true, tape.Threads);
            }
            for (int s = 0; s < n; s++)
            {
                int r = s * steps + t;
                ReadOnlySpan<float> cPrev = t == 0 ? zero.Data : cs.Slice((r - 1) * hidden, hidden);
                LstmCells.Forward(gs.Slice(r * g, g), cPrev, cs.Slice(r * hidden, hidden), ts.Slice(r * hidden, hidden), ys.Slice(r * hidden, hidden));
            }
        }
        if (grad)
        {
            ref Node node = ref tape.Record(LstmBackward.Instance, y);
            node.A = x;
            node.B = weightIh;
            node.C = weightHh;
            node.D = biasIh;
            node.Extra = biasHh;
            node.S0 = gates;
            node.S1 = cells;
            node.S2 = tanhCells;
        }
        return y;
    }

    private sealed class LstmBackward : IBackward
    {
        public static readonly LstmBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor x = node.A!, wih = node.B!, whh = node.C!, bih = node.D!, bhh = (Tensor)node.Extra!, y = node.Output;
            int n = x.Shape[0], steps = x.Shape[1], inputs = x.Shape[2], hidden = whh.Shape[1], g = 4 * hidden, rows = n * steps;
            var gs = node.S0!.Data;
            var cs = node.S1!.Data;
            var ts = node.S2!.Data;
            var ys = y.Data;
            var dy = y.Grad;
            var dgates = tape.Allocate(new Shape(rows, g)).Data;
            var dh = tape.Allocate(new Shape(hidden)).Data;
            var dc = tape.Allocate(new Shape(n, hidden)).Data;
            var dhNext = tape.Allocate(new Shape(n, hidden)).Data;
            var zero = tape.Allocate(new Shape(hidden)).Data;
            dc.Clear();
            dhNext.Clear();
            zero.Clear();
            for (int t = steps - 1; t >= 0; t--)
            {
                for (int s = 0; s < n; s++)
                {
                    int r = s * steps + t;
                    // h_t feeds the output and the next step's gates.
                    TensorPrimitives.Add(dy.Slice(r * hidden, hidden), dhNext.Slice(s * hidden, hidden), dh);
                    ReadOnlySpan<float> cPrev = t == 0 ? zero : cs.Slice((r - 1) * hidden, hidden);
                    LstmCells.Backward(gs.Slice(r * g, g), cPrev, ts.Slice(r * hidden, hidden), dh, dc.Slice(s * hidden, hidden), dgates.Slice(r * g, g));
                }
                if (t > 0)
                {
                    Gemm.Multiply(false, false, n, hidden, g, dgates[(t * g)..], steps * g, whh.Data, hidden, dhNext, hidden, false, tape.Threads);
                }
            }
            if (x.RequiresGrad)
            {
                Gemm.Multiply(false, false, rows, inputs, g, dgates, g, wih.Data, inputs, x.Grad, inputs, true, tape.Threads);
            }
            if (wih.RequiresGrad)
            {
                Gemm.Multiply(true, false, g, inputs, rows, dgates, g, x.Data, inputs, wih.Grad, inputs, true, tape.Threads);
            }
            if (whh.RequiresGrad && rows > 0)
            {
                // h shifted one step later (zero at t = 0), so that Σ_t dgates_tᵀ·h_{t−1} is one product over all rows.
                var hPrev = tape.Allocate(new Shape(rows, hidden)).Data;
                ys[..((rows - 1) * hidden)].CopyTo(hPrev[hidden..]);
                for (int s = 0; s < n; s++)
                {
                    hPrev.Slice(s * steps * hidden, hidden).Clear();
                }
                Gemm.Multiply(true, false, g, hidden, rows, dgates, g, hPrev, hidden, whh.Grad, hidden, true, tape.Threads);
            }
            if (bih.RequiresGrad)
            {
                Reductions.AddRowsInto(dgates, rows, g, bih.Grad);
            }
            if (bhh.RequiresGrad)
            {
                Reductions.AddRowsInto(dgates, rows, g, bhh.Grad);
            }
        }
    }
}
