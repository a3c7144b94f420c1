using Cohort.NN.Autograd;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Tests;

public class ZooSequenceAndResNetTests
{
    [Fact]
    public void ResNet20ParameterCount()
    {
        // conv1 3·16·9 = 432, gn1 32.
        // layer1: 3 blocks × (2 convs 16·16·9 = 2,304 each + 2 group norms of 32) = 3 × 4,672 = 14,016.
        // layer2: block 0: 16·32·9 + 32·32·9 + 64 + 64 + shortcut 16·32 + 64 = 4,608 + 9,216 + 128 + 512 + 64 = 14,528;
        //         blocks 1, 2: 2 × 9,216 + 128 = 18,560 each; together 51,648.
        // layer3: block 0: 32·64·9 + 64·64·9 + 256 + shortcut 32·64 + 128 = 18,432 + 36,864 + 256 + 2,048 + 128 = 57,728;
        //         blocks 1, 2: 2 × 36,864 + 256 = 73,984 each; together 205,696.
        // fc: 64·10 + 10 = 650. Total 432 + 32 + 14,016 + 51,648 + 205,696 + 650 = 272,474.
        var model = ModelZoo.Create("resnet20", 1, ModelOptions.Cifar);
        Assert.Equal(272_474, model.ParameterCount);
        var names = model.NamedParameters.Select(p => p.Name!).ToArray();
        Assert.Equal(["conv1.weight", "gn1.weight", "gn1.bias", "layer1.0.conv1.weight", "layer1.0.gn1.weight"], names.Take(5));
        Assert.Contains("layer2.0.shortcut.0.weight", names);
        Assert.Contains("layer3.0.shortcut.1.bias", names);
        Assert.DoesNotContain("layer1.0.shortcut.0.weight", names);
        Assert.DoesNotContain("layer2.1.shortcut.0.weight", names);
        Assert.Equal(["fc.weight", "fc.bias"], names.TakeLast(2));
        Assert.Equal(new Shape(3, 32, 32), model.SampleShape);
        Assert.All(model.NamedParameters.Where(p => p.Name!.EndsWith(".gn2.weight", StringComparison.Ordinal)), p => Assert.All(p.ToArray(), v => Assert.Equal(1f, v)));
    }

    [Fact]
    public void CharLstmParameterCountAndNames()
    {
        // embedding 80·8 = 640; layer 0: 1,024·8 + 1,024·256 + 2·1,024 = 272,384;
        // layer 1: 2·1,024·256 + 2·1,024 = 526,336; fc 256·80 + 80 = 20,560.
        var model = ModelZoo.Create("charlstm", 1);
        Assert.Equal(819_920, model.ParameterCount);
        Assert.Equal(
            ["embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
             "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "lstm.bias_hh_l1", "fc.weight", "fc.bias"],
            model.NamedParameters.Select(p => p.Name));
        Assert.Equal(new Shape(80), model.SampleShape);
        float bound = 1f / 16f;
        Assert.All(model.NamedParameters[2].ToArray(), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void ForwardShapes()
    {
        var resnet = ModelZoo.Create("resnet20", 2, ModelOptions.Cifar);
        var image = GradCheck.Leaf(new Shape(2, 3, 32, 32), 3, name: "image");
        Assert.Equal(new Shape(2, 10), resnet.Forward(new Tape(), image).Shape);

        var options = new ModelOptions { SequenceLength = 7 };
        var lstm = ModelZoo.Create("charlstm", 2, options);
        var ids = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 79, 0, 0, 0, 0, 0, 9], new Shape(2, 7), "ids");
        Assert.Equal(new Shape(2, 80), lstm.Forward(new Tape(), ids).Shape);
    }

    [Theory]
    [InlineData("charlstm")]
    [InlineData("resnet20")]
    public void TrainingStepsAllocateNothingAfterWarmUp(string name)
    {
        var options = name == "resnet20" ? ModelOptions.Cifar : new ModelOptions { SequenceLength = 12 };
        var model = ModelZoo.Create(name, 3, options);
        // Group norm works on single samples, so resnet20 can train on batches of one.
        int batch = name == "resnet20" ? 1 : 2;
        var trainer = new Trainer(model, new Sgd(0.05f), batch);
        var (x, y) = Batch(model.SampleShape.Size, batch, name == "charlstm" ? options.Vocabulary : 0);
        float first = trainer.Step(x, y);
        // Enough steps for the JIT's tiers to settle; only the steps after count.
        for (int i = 0; i < 60; i++)
        {
            trainer.Step(x, y);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        float last = 0;
        for (int i = 0; i < 5; i++)
        {
            last = trainer.Step(x, y);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(last < first, $"loss {first} → {last} on a fixed batch");
    }

    private static (float[] X, int[] Y) Batch(int sampleSize, int batch, int vocabulary)
    {
        var random = RandomStream.Create(5);
        var x = new float[sampleSize * batch];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = vocabulary > 0 ? random.NextInt(vocabulary) : random.NextFloat();
        }
        var y = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            y[i] = random.NextInt(10);
        }
        return (x, y);
    }
}
