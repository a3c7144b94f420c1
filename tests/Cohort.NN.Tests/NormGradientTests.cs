using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class NormGradientTests
{
    [Fact]
    public void LayerNorm()
    {
        var x = GradCheck.Leaf(new Shape(2, 3, 5), 1, -2, 2, "x");
        var w = GradCheck.Leaf(new Shape(5), 2, 0.5f, 1.5f, "weight");
        var b = GradCheck.Leaf(new Shape(5), 3, name: "bias");
        GradCheck.Check(t => t.LayerNorm(x, w, b), [x, w, b]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void GroupNormOnImages(int groups)
    {
        var x = GradCheck.Leaf(new Shape(2, 4, 2, 3), 4, -2, 2, "x");
        var w = GradCheck.Leaf(new Shape(4), 5, 0.5f, 1.5f, "weight");
        var b = GradCheck.Leaf(new Shape(4), 6, name: "bias");
        GradCheck.Check(t => t.GroupNorm(x, groups, w, b), [x, w, b]);
    }

    [Fact]
    public void GroupNormOnVectors()
    {
        var x = GradCheck.Leaf(new Shape(3, 6), 7, -2, 2, "x");
        var w = GradCheck.Leaf(new Shape(6), 8, 0.5f, 1.5f, "weight");
        var b = GradCheck.Leaf(new Shape(6), 9, name: "bias");
        GradCheck.Check(t => t.GroupNorm(x, 2, w, b), [x, w, b]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormOnImages(bool training)
    {
        var x = GradCheck.Leaf(new Shape(3, 2, 2, 2), 10, -2, 2, "x");
        var w = GradCheck.Leaf(new Shape(2), 11, 0.5f, 1.5f, "weight");
        var b = GradCheck.Leaf(new Shape(2), 12, name: "bias");
        var mean = Tensor.FromArray([0.2f, -0.3f], new Shape(2), "running_mean");
        var variance = Tensor.FromArray([0.8f, 1.3f], new Shape(2), "running_var");
        GradCheck.Check(t => t.BatchNorm(x, w, b, mean, variance), [x, w, b], training: training);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormOnVectors(bool training)
    {
        var x = GradCheck.Leaf(new Shape(4, 3), 13, -2, 2, "x");
        var w = GradCheck.Leaf(new Shape(3), 14, 0.5f, 1.5f, "weight");
        var b = GradCheck.Leaf(new Shape(3), 15, name: "bias");
        var mean = Tensor.FromArray([0.1f, 0f, -0.2f], new Shape(3), "running_mean");
        var variance = Tensor.FromArray([1f, 0.7f, 1.4f], new Shape(3), "running_var");
        GradCheck.Check(t => t.BatchNorm(x, w, b, mean, variance), [x, w, b], training: training);
    }
}
