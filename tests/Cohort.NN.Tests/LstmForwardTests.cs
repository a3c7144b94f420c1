using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class LstmForwardTests
{
    [Fact]
    public void MatchesTheTextbookRecurrenceInPyTorchGateOrder()
    {
        int n = 2, steps = 3, inputs = 4, h = 5;
        var x = GradCheck.Leaf(new Shape(n, steps, inputs), 1, name: "x");
        var wih = GradCheck.Leaf(new Shape(4 * h, inputs), 2, name: "weight_ih_l0");
        var whh = GradCheck.Leaf(new Shape(4 * h, h), 3, name: "weight_hh_l0");
        var bih = GradCheck.Leaf(new Shape(4 * h), 4, name: "bias_ih_l0");
        var bhh = GradCheck.Leaf(new Shape(4 * h), 5, name: "bias_hh_l0");
        var y = new Tape().LstmLayer(x, wih, whh, bih, bhh);
        Assert.Equal(new Shape(n, steps, h), y.Shape);

        for (int s = 0; s < n; s++)
        {
            var hPrev = new double[h];
            var cPrev = new double[h];
            for (int t = 0; t < steps; t++)
            {
                var pre = new double[4 * h];
                for (int r = 0; r < 4 * h; r++)
                {
                    double v = bih.Data[r] + bhh.Data[r];
                    for (int k = 0; k < inputs; k++)
                    {
                        v += wih.Data[r * inputs + k] * x.Data[(s * steps + t) * inputs + k];
                    }
                    for (int k = 0; k < h; k++)
                    {
                        v += whh.Data[r * h + k] * hPrev[k];
                    }
                    pre[r] = v;
                }
                var hNext = new double[h];
                for (int j = 0; j < h; j++)
                {
                    double i = Sigmoid(pre[j]), f = Sigmoid(pre[h + j]), g = Math.Tanh(pre[2 * h + j]), o = Sigmoid(pre[3 * h + j]);
                    cPrev[j] = f * cPrev[j] + i * g;
                    hNext[j] = o * Math.Tanh(cPrev[j]);
                    Assert.Equal(hNext[j], y.Data[(s * steps + t) * h + j], 1e-5);
                }
                hPrev = hNext;
            }
        }
    }

    [Fact]
    public void StackedLayersFeedEachOther()
    {
        int h = 3;
        var x = GradCheck.Leaf(new Shape(1, 2, 2), 6, name: "x");
        Tensor[] p =
        [
            GradCheck.Leaf(new Shape(4 * h, 2), 7, name: "weight_ih_l0"),
            GradCheck.Leaf(new Shape(4 * h, h), 8, name: "weight_hh_l0"),
            GradCheck.Leaf(new Shape(4 * h), 9, name: "bias_ih_l0"),
            GradCheck.Leaf(new Shape(4 * h), 10, name: "bias_hh_l0"),
            GradCheck.Leaf(new Shape(4 * h, h), 11, name: "weight_ih_l1"),
            GradCheck.Leaf(new Shape(4 * h, h), 12, name: "weight_hh_l1"),
            GradCheck.Leaf(new Shape(4 * h), 13, name: "bias_ih_l1"),
            GradCheck.Leaf(new Shape(4 * h), 14, name: "bias_hh_l1"),
        ];
        var tape = new Tape();
        var stacked = tape.Lstm(x, p);
        var manual = tape.LstmLayer(tape.LstmLayer(x, p[0], p[1], p[2], p[3]), p[4], p[5], p[6], p[7]);
        Assert.Equal(manual.ToArray(), stacked.ToArray());
    }

    private static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));
}
