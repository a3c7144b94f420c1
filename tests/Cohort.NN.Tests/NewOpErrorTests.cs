using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class NewOpErrorTests
{
    [Fact]
    public void EmbeddingNamesTheBadIndexItsPositionAndTheTableSize()
    {
        var table = new Tensor(new Shape(80, 8), "embedding.weight");
        var ids = Tensor.FromArray([3, 79, 0, 80], new Shape(2, 2), "ids");
        var e = Assert.Throws<ArgumentException>(() => new Tape().Embedding(ids, table));
        Assert.Contains("embedding", e.Message);
        Assert.Contains("index 80 at position 3", e.Message);
        Assert.Contains("embedding.weight [80, 8]", e.Message);
        Assert.Contains("size 80", e.Message);

        ids = Tensor.FromArray([-1], new Shape(1), "ids");
        e = Assert.Throws<ArgumentException>(() => new Tape().Embedding(ids, table));
        Assert.Contains("index -1 at position 0", e.Message);

        ids = Tensor.FromArray([0, 2.5f], new Shape(2), "ids");
        e = Assert.Throws<ArgumentException>(() => new Tape().Embedding(ids, table));
        Assert.Contains("index 2.5 at position 1", e.Message);
    }

    [Fact]
    public void ConcatRejectsMoreThanFourTensorsAndMismatchedShapes()
    {
        var tape = new Tape();
        var a = new Tensor(new Shape(2, 3), "a");
        var e = Assert.Throws<ArgumentException>(() => tape.Concat(0, a, a, a, a, a));
        Assert.Contains("concat", e.Message);
        Assert.Contains("1 to 4 tensors; got 5", e.Message);

        var b = new Tensor(new Shape(3, 3), "b");
        e = Assert.Throws<ArgumentException>(() => tape.Concat(1, a, b));
        Assert.Contains("'b [3, 3]' does not match 'a [2, 3]'", e.Message);

        e = Assert.Throws<ArgumentException>(() => tape.Concat(2, a, a));
        Assert.Contains("axis 2", e.Message);
        Assert.Equal(new Shape(5, 3), tape.Concat(0, a, b).Shape);
    }

    [Fact]
    public void LstmNamesTheTensorsThatDoNotFit()
    {
        var tape = new Tape();
        var x = new Tensor(new Shape(2, 5, 8), "x");
        var wih = new Tensor(new Shape(16, 8), "lstm.weight_ih_l0");
        var whh = new Tensor(new Shape(16, 4), "lstm.weight_hh_l0");
        var bias = new Tensor(new Shape(16), "lstm.bias_ih_l0");

        var e = Assert.Throws<ArgumentException>(() => tape.LstmLayer(new Tensor(new Shape(2, 8), "flat"), wih, whh, bias, bias));
        Assert.Contains("lstm", e.Message);
        Assert.Contains("flat [2, 8]", e.Message);

        var wrongIh = new Tensor(new Shape(16, 7), "lstm.weight_ih_l0");
        e = Assert.Throws<ArgumentException>(() => tape.LstmLayer(x, wrongIh, whh, bias, bias));
        Assert.Contains("lstm.weight_ih_l0 [16, 7]", e.Message);
        Assert.Contains("x [2, 5, 8]", e.Message);

        var wrongHh = new Tensor(new Shape(12, 4), "lstm.weight_hh_l0");
        e = Assert.Throws<ArgumentException>(() => tape.LstmLayer(x, wih, wrongHh, bias, bias));
        Assert.Contains("lstm.weight_hh_l0 [12, 4]", e.Message);

        var shortBias = new Tensor(new Shape(15), "lstm.bias_hh_l0");
        e = Assert.Throws<ArgumentException>(() => tape.LstmLayer(x, wih, whh, bias, shortBias));
        Assert.Contains("lstm.bias_hh_l0 [15]", e.Message);

        e = Assert.Throws<ArgumentException>(() => tape.Lstm(x, [wih, whh, bias]));
        Assert.Contains("4 parameters per layer", e.Message);
    }

    [Fact]
    public void NormsAndDropoutNameTheirTensors()
    {
        var tape = new Tape();
        var x = new Tensor(new Shape(2, 6, 2, 2), "x");
        var w = new Tensor(new Shape(6), "gn.weight");
        var e = Assert.Throws<ArgumentException>(() => tape.GroupNorm(x, 4, w, w));
        Assert.Contains("group_norm", e.Message);
        Assert.Contains("6 channels", e.Message);

        var shortWeight = new Tensor(new Shape(5), "ln.weight");
        e = Assert.Throws<ArgumentException>(() => tape.LayerNorm(x, shortWeight, shortWeight));
        Assert.Contains("layer_norm", e.Message);
        Assert.Contains("ln.weight [5]", e.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => tape.Dropout(x, 1.5f));
    }

    [Fact]
    public void DropoutKeepsTheExpectationAndIsTheIdentityInEvaluation()
    {
        var tape = new Tape();
        var x = Tensor.FromArray(Enumerable.Repeat(1f, 10_000).ToArray(), new Shape(10_000), "x");
        var y = tape.Dropout(x, 0.25f);
        int zeros = 0;
        foreach (float v in y.Data)
        {
            Assert.True(v == 0f || Math.Abs(v - 4f / 3f) < 1e-6f);
            zeros += v == 0f ? 1 : 0;
        }
        Assert.InRange(zeros, 2_300, 2_700);
        tape.Training = false;
        Assert.Same(x, tape.Dropout(x, 0.25f));
    }
}
