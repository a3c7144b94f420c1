using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors.Random;

namespace Cohort.NN.Tests;

public class DeterminismTests
{
    [Theory]
    [InlineData("mlp", 100, 8)]
    [InlineData("cnn", 12, 4)]
    public void SameSeedGivesBitIdenticalWeightsWhateverTheThreadCount(string name, int steps, int batch)
    {
        var one = Train(name, steps, batch, threads: 1);
        var again = Train(name, steps, batch, threads: 1);
        var three = Train(name, steps, batch, threads: 3);
        Assert.Equal(one, again);
        Assert.Equal(one, three);
        Assert.NotEqual(ModelZoo.Create(name, 3).Parameters, one);
    }

    [Fact]
    public void TrainingStepsAllocateNothingAfterTheFirst()
    {
        var model = ModelZoo.Create("cnn", 3);
        var trainer = new Trainer(model, new Sgd(0.05f), 2);
        var (x, y) = Batch(model.SampleShape.Size, 2, 0);
        // Enough steps for the JIT's tiers to settle; only the steps after count.
        for (int i = 0; i < 60; i++)
        {
            trainer.Step(x, y);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            trainer.Step(x, y);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TrainingReducesTheLossOnAFixedBatch()
    {
        var model = ModelZoo.Create("mlp", 3);
        var trainer = new Trainer(model, new Sgd(0.2f), 16);
        var (x, y) = Batch(model.SampleShape.Size, 16, 1);
        float first = trainer.Step(x, y);
        float last = first;
        for (int i = 0; i < 60; i++)
        {
            last = trainer.Step(x, y);
        }
        Assert.True(last < first * 0.2f, $"loss {first} → {last}");
    }

    private static float[] Train(string name, int steps, int batch, int threads)
    {
        var model = ModelZoo.Create(name, 3);
        var trainer = new Trainer(model, new Sgd(0.05f), batch, threads);
        for (int s = 0; s < steps; s++)
        {
            var (x, y) = Batch(model.SampleShape.Size, batch, s);
            trainer.Step(x, y);
        }
        return model.Parameters.ToArray();
    }

    private static (float[] X, int[] Y) Batch(int sampleSize, int batch, int step)
    {
        var random = RandomStream.Create(11, step);
        var x = new float[sampleSize * batch];
        random.FillUniform(x, 0, 1);
        var y = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            y[i] = random.NextInt(10);
        }
        return (x, y);
    }
}
