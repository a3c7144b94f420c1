using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

/// <summary>The CNN pools before its ReLU; this checks that the order changes neither values nor gradients.</summary>
public class PoolReluOrderTests
{
    [Theory]
    [InlineData(2, 3, 8, 8)]
    [InlineData(1, 2, 7, 9)]
    [InlineData(3, 1, 6, 4)]
    public void MaxPoolThenReluMatchesReluThenMaxPool(int n, int c, int h, int w)
    {
        var shape = new Shape(n, c, h, w);
        var (y1, g1) = Run(shape, poolFirst: false);
        var (y2, g2) = Run(shape, poolFirst: true);
        Assert.Equal(y1, y2);
        Assert.Equal(g1, g2);
    }

    private static (float[] Values, float[] Gradient) Run(Shape shape, bool poolFirst)
    {
        var x = GradCheck.Leaf(shape, 11, name: "x");
        var xs = x.Data;
        for (int i = 0; i < xs.Length; i++)
        {
            // Zeros, ties and all-negative windows, where the two orders could differ.
            xs[i] = (i % 7) switch
            {
                0 => 0f,
                1 => -0.5f,
                2 => 0.25f,
                _ => xs[i],
            };
        }
        var weights = GradCheck.Leaf(new Shape(shape[0], shape[1], shape[2] / 2, shape[3] / 2), 12, name: "weights");
        var tape = new Tape();
        var y = poolFirst ? tape.Relu(tape.MaxPool2d(x, 2)) : tape.MaxPool2d(tape.Relu(x), 2);
        var loss = tape.Sum(tape.Multiply(y, weights));
        x.Grad.Clear();
        weights.Grad.Clear();
        tape.Backward(loss);
        return (y.Data.ToArray(), x.Grad.ToArray());
    }
}
