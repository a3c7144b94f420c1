using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Tests;

public class NewModuleTests
{
    [Fact]
    public void NormModulesStartAsTheIdentityAffineWithPyTorchNames()
    {
        var builder = new ParameterBuilder();
        var bn = new BatchNorm2d(builder, "bn", 3);
        var gn = new GroupNorm(builder, "gn", 3, 3);
        var ln = new LayerNorm(builder, "ln", 4);
        var model = new Model("norms", bn, builder, new Shape(3, 2, 2), 1);
        Assert.Equal(["bn.weight", "bn.bias", "gn.weight", "gn.bias", "ln.weight", "ln.bias"], model.NamedParameters.Select(p => p.Name!));
        Assert.Equal(["bn.running_mean", "bn.running_var"], model.NamedBuffers.Select(p => p.Name!));
        Assert.Equal([1f, 1f, 1f], bn.Weight.ToArray());
        Assert.Equal([0f, 0f, 0f], gn.Bias.ToArray());
        Assert.Equal([1f, 1f, 1f, 1f], ln.Weight.ToArray());
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 1f], model.Buffers);

        // A training forward pass moves the running estimates inside the model's buffer vector.
        var x = GradCheck.Leaf(new Shape(2, 3, 2, 2), 2, 1f, 3f, "x");
        bn.Forward(new Tape(), x);
        Assert.All(model.Buffers.AsSpan(0, 3).ToArray(), v => Assert.InRange(v, 0.1f, 0.3f));
        Assert.Throws<ArgumentException>(() => new GroupNorm(new ParameterBuilder(), "gn", 2, 3));
    }

    [Fact]
    public void EmbeddingLstmAndDropoutModules()
    {
        var builder = new ParameterBuilder();
        var embedding = new Embedding(builder, "embedding", 50, 4);
        var lstm = new Lstm(builder, "rnn", 4, 6, layers: 3);
        var model = new Model("seq", lstm, builder, new Shape(5), 1);
        Assert.Equal(50 * 4 + (24 * 4 + 24 * 6 + 48) + 2 * (24 * 6 + 24 * 6 + 48), model.ParameterCount);
        Assert.Equal("rnn.bias_hh_l2", model.NamedParameters[^1].Name);
        // N(0, 1): about a third of 200 draws lie outside ±1.
        int outside = embedding.Weight.ToArray().Count(v => Math.Abs(v) > 1f);
        Assert.InRange(outside, 40, 100);

        var tape = new Tape();
        var ids = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3), "ids");
        var h = lstm.Forward(tape, embedding.Forward(tape, ids));
        Assert.Equal(new Shape(2, 3, 6), h.Shape);

        var dropout = new Dropout(0.5f);
        tape.Training = false;
        Assert.Same(h, dropout.Forward(tape, h));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1f));
    }

    [Theory]
    [InlineData("charlstm")]
    [InlineData("resnet20")]
    public void SameSeedGivesBitIdenticalWeightsWhateverTheThreadCount(string name)
    {
        Assert.Equal(Train(name, 1), Train(name, 3));
    }

    private static float[] Train(string name, int threads)
    {
        var options = name == "resnet20" ? ModelOptions.Cifar : new ModelOptions { SequenceLength = 6 };
        var model = ModelZoo.Create(name, 4, options);
        var trainer = new Trainer(model, new Sgd(0.05f), 2, threads);
        var random = RandomStream.Create(9);
        var x = new float[2 * model.SampleShape.Size];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = name == "charlstm" ? random.NextInt(80) : random.NextFloat();
        }
        for (int s = 0; s < 3; s++)
        {
            trainer.Step(x, [s % 10, (s + 3) % 10]);
        }
        return model.Parameters.ToArray();
    }
}
