using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class SequenceOpGradientTests
{
    [Theory]
    [InlineData(0.3f)]
    [InlineData(0.7f)]
    public void DropoutWithAFixedStream(float p)
    {
        var x = GradCheck.Leaf(new Shape(4, 6), 1, name: "x");
        GradCheck.Check(t => t.Dropout(x, p), [x]);
    }

    [Fact]
    public void DropoutInEvaluationIsTheIdentity()
    {
        var x = GradCheck.Leaf(new Shape(3, 5), 2, name: "x");
        var w = GradCheck.Leaf(new Shape(2, 5), 3, name: "w");
        GradCheck.Check(t => t.Linear(t.Dropout(x, 0.5f), w, null), [x, w], training: false);
    }

    [Fact]
    public void EmbeddingAccumulatesRepeatedRows()
    {
        var weight = GradCheck.Leaf(new Shape(5, 3), 4, name: "weight");
        var indices = Tensor.FromArray([0, 3, 3, 1, 4, 0], new Shape(2, 3), "indices");
        GradCheck.Check(t => t.Embedding(indices, weight), [weight]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void ConcatAlongEachAxis(int axis)
    {
        int a = axis < 0 ? 2 : axis;
        var x = GradCheck.Leaf(new Shape(2, 3, 2).With(a, 1), 5, name: "x");
        var y = GradCheck.Leaf(new Shape(2, 3, 2), 6, name: "y");
        var z = GradCheck.Leaf(new Shape(2, 3, 2).With(a, 3), 7, name: "z");
        GradCheck.Check(t => t.Concat(axis, x, y, z), [x, y, z]);
    }

    [Fact]
    public void ConcatOfFourAndOfTheSameTensorTwice()
    {
        var x = GradCheck.Leaf(new Shape(2, 2), 8, name: "x");
        var y = GradCheck.Leaf(new Shape(2, 3), 9, name: "y");
        GradCheck.Check(t => t.Concat(1, x, y, x, y), [x, y]);
    }

    [Fact]
    public void Select()
    {
        var x = GradCheck.Leaf(new Shape(2, 4, 3), 10, name: "x");
        GradCheck.Check(t => t.Select(x, 1, -1), [x]);
        GradCheck.Check(t => t.Select(x, 0, 1), [x]);
        GradCheck.Check(t => t.Select(x, 2, 0), [x]);
    }

    [Fact]
    public void LstmTwoLayersThroughTime()
    {
        int h = 3;
        var x = GradCheck.Leaf(new Shape(2, 4, 5), 11, name: "x");
        var p = new[]
        {
            GradCheck.Leaf(new Shape(4 * h, 5), 12, -0.6f, 0.6f, "weight_ih_l0"),
            GradCheck.Leaf(new Shape(4 * h, h), 13, -0.6f, 0.6f, "weight_hh_l0"),
            GradCheck.Leaf(new Shape(4 * h), 14, -0.6f, 0.6f, "bias_ih_l0"),
            GradCheck.Leaf(new Shape(4 * h), 15, -0.6f, 0.6f, "bias_hh_l0"),
            GradCheck.Leaf(new Shape(4 * h, h), 16, -0.6f, 0.6f, "weight_ih_l1"),
            GradCheck.Leaf(new Shape(4 * h, h), 17, -0.6f, 0.6f, "weight_hh_l1"),
            GradCheck.Leaf(new Shape(4 * h), 18, -0.6f, 0.6f, "bias_ih_l1"),
            GradCheck.Leaf(new Shape(4 * h), 19, -0.6f, 0.6f, "bias_hh_l1"),
        };
        GradCheck.Check(t => t.Lstm(x, p), [x, .. p]);
    }

    [Fact]
    public void LstmLastStepThroughEmbedding()
    {
        var table = GradCheck.Leaf(new Shape(6, 2), 20, name: "embedding");
        var ids = Tensor.FromArray([1, 5, 0, 2, 2, 4], new Shape(2, 3), "ids");
        var wih = GradCheck.Leaf(new Shape(8, 2), 21, -0.6f, 0.6f, "weight_ih_l0");
        var whh = GradCheck.Leaf(new Shape(8, 2), 22, -0.6f, 0.6f, "weight_hh_l0");
        var bih = GradCheck.Leaf(new Shape(8), 23, -0.6f, 0.6f, "bias_ih_l0");
        var bhh = GradCheck.Leaf(new Shape(8), 24, -0.6f, 0.6f, "bias_hh_l0");
        GradCheck.Check(t => t.Select(t.LstmLayer(t.Embedding(ids, table), wih, whh, bih, bhh), 1, -1), [table, wih, whh, bih, bhh]);
    }
}
