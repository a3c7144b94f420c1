using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class OpErrorTests
{
    [Fact]
    public void ShapeMismatchesNameTheOperationTensorsAndShapes()
    {
        var tape = new Tape();
        var x = new Tensor(new Shape(2, 785), "input");
        var w = new Tensor(new Shape(200, 784), "fc1.weight");
        var e = Assert.Throws<ArgumentException>(() => tape.Linear(x, w, null));
        Assert.Contains("linear", e.Message);
        Assert.Contains("input [2, 785]", e.Message);
        Assert.Contains("fc1.weight [200, 784]", e.Message);

        var image = new Tensor(new Shape(1, 3, 8, 8), "image");
        var kernel = new Tensor(new Shape(4, 1, 3, 3), "conv1.weight");
        e = Assert.Throws<ArgumentException>(() => tape.Conv2d(image, kernel, null));
        Assert.Contains("conv2d", e.Message);
        Assert.Contains("conv1.weight [4, 1, 3, 3]", e.Message);

        e = Assert.Throws<ArgumentException>(() => tape.CrossEntropy(new Tensor(new Shape(2, 3), "logits"), [0, 3]));
        Assert.Contains("label 3 at position 1", e.Message);
    }

    [Fact]
    public void NonFiniteLossIsReported()
    {
        var tape = new Tape();
        var x = GradCheck.Leaf(new Shape(2, 3), 1, name: "logits");
        x.Data[0] = float.NaN;
        var loss = tape.CrossEntropy(x, [0, 1]);
        var e = Assert.Throws<ArithmeticException>(() => tape.Backward(loss));
        Assert.Contains("not finite", e.Message);
    }
}
