using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class CoreOpGradientTests
{
    [Fact]
    public void Linear()
    {
        var x = GradCheck.Leaf(new Shape(3, 5), 1, name: "x");
        var w = GradCheck.Leaf(new Shape(4, 5), 2, name: "w");
        var b = GradCheck.Leaf(new Shape(4), 3, name: "b");
        GradCheck.Check(t => t.Linear(x, w, b), [x, w, b]);
    }

    [Fact]
    public void LinearOnRank3Input()
    {
        var x = GradCheck.Leaf(new Shape(2, 3, 5), 1, name: "x");
        var w = GradCheck.Leaf(new Shape(4, 5), 2, name: "w");
        GradCheck.Check(t => t.Linear(x, w, null), [x, w]);
    }

    [Fact]
    public void MatMul()
    {
        var a = GradCheck.Leaf(new Shape(3, 7), 1, name: "a");
        var b = GradCheck.Leaf(new Shape(7, 2), 2, name: "b");
        GradCheck.Check(t => t.MatMul(a, b), [a, b]);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    public void Conv2d(int stride, int padding)
    {
        var x = GradCheck.Leaf(new Shape(2, 3, 6, 5), 1, name: "x");
        var w = GradCheck.Leaf(new Shape(4, 3, 3, 3), 2, name: "w");
        var b = GradCheck.Leaf(new Shape(4), 3, name: "b");
        GradCheck.Check(t => t.Conv2d(x, w, b, stride, padding), [x, w, b]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void Conv2dFiveByFiveByWinograd(int padding)
    {
        // 5x5, stride 1, channels in multiples of 8: the Winograd path.
        var x = GradCheck.Leaf(new Shape(2, 8, 7, 6), 1, name: "x");
        var w = GradCheck.Leaf(new Shape(8, 8, 5, 5), 2, name: "w");
        var b = GradCheck.Leaf(new Shape(8), 3, name: "b");
        GradCheck.Check(t => t.Conv2d(x, w, b, 1, padding), [x, w, b]);
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 0)]
    public void Pools(int kernel, int stride, int padding)
    {
        // Distinct values keep the max away from ties, where max-pool is not differentiable.
        var x = GradCheck.Leaf(new Shape(2, 2, 6, 7), 1, name: "x");
        var values = x.Data;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((i * 37) % values.Length) * 0.1f;
        }
        GradCheck.Check(t => t.MaxPool2d(x, kernel, stride, padding), [x], eps: 1e-3f);
        GradCheck.Check(t => t.AvgPool2d(x, kernel, stride, padding), [x]);
    }

    [Fact]
    public void Activations()
    {
        var x = GradCheck.Leaf(new Shape(4, 6), 5, name: "x");
        // Keep ReLU inputs away from its kink at 0.
        foreach (ref float v in x.Data)
        {
            v = MathF.Abs(v) < 0.05f ? 0.3f : v;
        }
        GradCheck.Check(t => t.Relu(x), [x]);
        GradCheck.Check(t => t.Tanh(x), [x]);
        GradCheck.Check(t => t.Sigmoid(x), [x]);
        GradCheck.Check(t => t.Gelu(x), [x]);
    }

    [Fact]
    public void SoftmaxAndLogSoftmax()
    {
        var x = GradCheck.Leaf(new Shape(3, 5), 6, -2, 2, "x");
        GradCheck.Check(t => t.Softmax(x), [x]);
        GradCheck.Check(t => t.LogSoftmax(x), [x]);
    }

    [Fact]
    public void CrossEntropyAndMse()
    {
        var x = GradCheck.Leaf(new Shape(4, 5), 7, -2, 2, "logits");
        int[] labels = [0, 4, 2, 2];
        GradCheck.Check(t => t.CrossEntropy(x, labels), [x]);
        var target = GradCheck.Leaf(new Shape(4, 5), 8, name: "target");
        GradCheck.Check(t => t.Mse(x, target), [x, target]);
    }

    [Fact]
    public void Arithmetic()
    {
        var a = GradCheck.Leaf(new Shape(3, 4), 9, name: "a");
        var b = GradCheck.Leaf(new Shape(3, 4), 10, name: "b");
        var row = GradCheck.Leaf(new Shape(4), 11, name: "row");
        GradCheck.Check(t => t.Add(a, b), [a, b]);
        GradCheck.Check(t => t.Add(a, row), [a, row]);
        GradCheck.Check(t => t.Multiply(a, b), [a, b]);
        GradCheck.Check(t => t.Multiply(a, row), [a, row]);
        GradCheck.Check(t => t.Scale(a, -1.5f), [a]);
        GradCheck.Check(t => t.Sum(a), [a]);
        GradCheck.Check(t => t.Mean(a), [a]);
    }

    [Fact]
    public void ReshapeAndFlattenPassGradientsThrough()
    {
        var x = GradCheck.Leaf(new Shape(2, 3, 2, 2), 12, name: "x");
        var w = GradCheck.Leaf(new Shape(3, 12), 13, name: "w");
        GradCheck.Check(t => t.Linear(t.Flatten(x), w, null), [x, w]);
        GradCheck.Check(t => t.Tanh(t.Reshape(x, new Shape(4, 6))), [x]);
    }

    [Fact]
    public void ComposedGraphReusesAnInputTwice()
    {
        var x = GradCheck.Leaf(new Shape(2, 3), 14, name: "x");
        GradCheck.Check(t => t.Multiply(t.Tanh(x), t.Add(x, x)), [x]);
    }
}
