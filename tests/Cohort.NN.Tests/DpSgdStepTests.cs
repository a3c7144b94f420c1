using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Tests;

/// <summary>
/// Per-example gradient norms and the clipped sum of DP-SGD against the reference definition:
/// each example run alone (batch of one), its gradient taken whole. The engine computes in float
/// only; the tolerance, 1e-4 relative, covers float32 rounding (ε ≈ 6e-8) accumulated over the
/// few thousand terms of a GEMM or Winograd transform whose order differs between the two paths
/// (√K·ε ≈ 1e-5 typical), with a margin; a wrong formula is off by O(1).
/// </summary>
public class DpSgdStepTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, int> ZooModels => new()
    {
        { "logreg", 5 },
        { "mlp", 5 },
        { "cnn", 3 },
        { "lenet5", 4 },
        { "resnet20", 3 },
        { "charlstm", 3 },
    };

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void PerExampleNormsAndTheClippedSumMatchBatchOfOneGradients(string name, int batch)
    {
        var options = Options(name);
        var model = ModelZoo.Create(name, 5, options);
        var trainer = new Trainer(model, new Sgd(0.1f), batch);
        var (x, y) = Batch(name, model, options, batch);
        var reference = BatchOfOneGradients(trainer, x, y);
        var norms = reference.Select(g => Math.Sqrt(g.Sum(v => (double)v * v))).ToArray();

        // C between the smallest and largest norm: some examples are clipped, some are not.
        double clip = norms.Order().ElementAt(batch / 2);
        var dp = new DpSgdStep(trainer, clip, 1.0, batch);
        dp.ClippedSum(x, y);
        var got = new double[batch];
        dp.CopyNormsTo(got);
        // Only the LSTM falls back to batch-of-one norms; every other layer splits by example.
        Assert.Equal(name == "charlstm", dp.NormsFromBatchOfOne);
        for (int i = 0; i < batch; i++)
        {
            Assert.True(Math.Abs(got[i] - norms[i]) <= Tolerance * norms[i], $"{name}: example {i} norm {got[i]} vs batch of one {norms[i]}");
        }
        Assert.InRange(dp.ClippedFraction, 1.0 / batch, 1 - 1.0 / batch);

        var expected = new double[model.ParameterCount];
        for (int i = 0; i < batch; i++)
        {
            double factor = Math.Min(1, clip / norms[i]);
            for (int j = 0; j < expected.Length; j++)
            {
                expected[j] += factor * reference[i][j];
            }
        }
        double error = 0, size = 0;
        for (int j = 0; j < expected.Length; j++)
        {
            error += Math.Pow(model.Gradients[j] - expected[j], 2);
            size += expected[j] * expected[j];
        }
        Assert.True(Math.Sqrt(error) <= Tolerance * Math.Sqrt(size), $"{name}: clipped sum off by {Math.Sqrt(error / size):g3} relative");
    }

    [Theory]
    [InlineData(3, 40, 30)] // few positions, wide layer: the ghost norm
    [InlineData(50, 4, 3)]  // many positions, narrow layer: the gradient itself
    public void ALinearLayerOverSequencesSplitsItsGradientByExample(int positions, int inFeatures, int outFeatures)
    {
        var builder = new ParameterBuilder();
        var layer = new Linear(builder, "fc", inFeatures, outFeatures);
        var model = new Model("seq", layer, builder, new Shape(positions, inFeatures), 2);
        var x = new float[3 * positions * inFeatures];
        var random = RandomStream.Create(9);
        random.FillNormal(x, 0, 1);
        AssertSplitMatchesBatchOfOne(model, x, 3);
    }

    [Fact]
    public void AnEmbeddingSplitsItsGradientByExampleWithRepeatedIndices()
    {
        // Seven positions over a table of five rows: every example repeats some index.
        var builder = new ParameterBuilder();
        var model = new Model("embed", new Embedding(builder, "embedding", 5, 4), builder, new Shape(7), 2);
        var random = RandomStream.Create(4);
        var x = Enumerable.Range(0, 3 * 7).Select(_ => (float)random.NextInt(5)).ToArray();
        AssertSplitMatchesBatchOfOne(model, x, 3);
    }

    /// <summary>A random output gradient through a batch, split by example, against each example's own backward pass.</summary>
    private static void AssertSplitMatchesBatchOfOne(Model model, float[] x, int batch)
    {
        int size = x.Length / batch;
        Shape BatchOf(int n) => Shape.Of([n, .. Enumerable.Range(0, model.SampleShape.Rank).Select(d => model.SampleShape[d])]);
        var tape = new Tape();
        var y = model.Forward(tape, new Tensor(x, 0, BatchOf(batch)));
        var random = RandomStream.Create(8);
        random.FillNormal(y.Grad, 0, 1);
        var dy = y.Grad.ToArray();
        int outSize = dy.Length / batch;
        model.ZeroGrad();
        tape.BackwardFrom();
        var squared = new double[batch];
        Assert.Null(PerExampleNorms.TryAdd(tape, model.Gradients, squared));
        for (int i = 0; i < batch; i++)
        {
            tape.Reset();
            var yi = model.Forward(tape, new Tensor(x.AsSpan(i * size, size).ToArray(), 0, BatchOf(1)));
            dy.AsSpan(i * outSize, outSize).CopyTo(yi.Grad);
            model.ZeroGrad();
            tape.BackwardFrom();
            double expected = model.Gradients.Sum(v => (double)v * v);
            Assert.True(Math.Abs(squared[i] - expected) <= Tolerance * expected, $"{model.Name} example {i}: {squared[i]} vs {expected}");
        }
    }

    [Fact]
    public void TheNoiseHasStandardDeviationSigmaTimesC()
    {
        // With C tiny the clipped sum (norm ≤ n·C) is negligible beside the noise (norm σC·√d), so
        // the step is −lr·noise/(expected batch). 199,210 draws: the sample deviation's standard
        // error is σC/√(2d) ≈ 0.16%; 1% is six of them.
        var model = ModelZoo.Create("mlp", 5);
        var trainer = new Trainer(model, new Sgd(1f), 4);
        var (x, y) = Batch("mlp", model, ModelOptions.Mnist, 4);
        double clip = 1e-3, sigma = 2, expectedBatch = 4;
        var dp = new DpSgdStep(trainer, clip, sigma, expectedBatch);
        var before = model.Parameters.ToArray();
        var noise = RandomStream.Create(11, RandomStream.Purpose("dp-noise"));
        dp.Step(x, y, new Sgd(1f), ref noise);
        var added = before.Select((b, i) => (b - (double)model.Parameters[i]) * expectedBatch).ToArray();
        double mean = added.Average();
        double std = Math.Sqrt(added.Sum(v => (v - mean) * (v - mean)) / (added.Length - 1));
        Assert.InRange(std, 0.99 * sigma * clip, 1.01 * sigma * clip);
        Assert.InRange(mean, -6 * sigma * clip / Math.Sqrt(added.Length), 6 * sigma * clip / Math.Sqrt(added.Length));
    }

    [Fact]
    public void ABatchLargerThanTheTrainersIsSummedInChunksToTheSameStep()
    {
        // A Poisson batch may exceed the trainer's batch: 10 examples through a trainer of 4 (chunks of 4, 4, 2)
        // against a trainer that takes all 10, with the same noise stream.
        float[] Run(int trainerBatch, out double clipped)
        {
            var model = ModelZoo.Create("mlp", 5);
            var trainer = new Trainer(model, new Sgd(0.1f), trainerBatch);
            var (x, y) = Batch("mlp", ModelZoo.Create("mlp", 5), ModelOptions.Mnist, 10);
            var noise = RandomStream.Create(3);
            var dp = new DpSgdStep(trainer, 0.5, 1.1, 8);
            dp.Step(x, y, new Sgd(0.1f), ref noise);
            clipped = dp.ClippedFraction;
            return model.Parameters.ToArray();
        }
        var whole = Run(10, out double wholeClipped);
        var chunked = Run(4, out double chunkedClipped);
        Assert.Equal(wholeClipped, chunkedClipped, 1e-12);
        for (int i = 0; i < whole.Length; i++)
        {
            Assert.True(Math.Abs(whole[i] - chunked[i]) <= 1e-5 * (1 + Math.Abs(whole[i])), $"parameter {i}: {chunked[i]} in chunks vs {whole[i]} whole");
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameStep()
    {
        float[] Run()
        {
            var model = ModelZoo.Create("logreg", 5);
            var trainer = new Trainer(model, new Sgd(0.1f), 4);
            var (x, y) = Batch("logreg", model, ModelOptions.Mnist, 4);
            var noise = RandomStream.Create(3);
            new DpSgdStep(trainer, 0.5, 1.1, 4).Step(x, y, new Sgd(0.1f), ref noise);
            return model.Parameters;
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void ClipFactorKeepsZeroAndNormExactlyCAndScalesLargerOnes()
    {
        Assert.Equal(1f, DpSgdStep.ClipFactor(0, 1.5));
        Assert.Equal(1f, DpSgdStep.ClipFactor(1.5, 1.5));
        Assert.Equal(1f, DpSgdStep.ClipFactor(0.3, 1.5));
        Assert.Equal(0.5f, DpSgdStep.ClipFactor(3, 1.5));
    }

    [Fact]
    public void AnExampleWhoseNormIsExactlyCIsNotClipped()
    {
        var model = ModelZoo.Create("mlp", 5);
        var trainer = new Trainer(model, new Sgd(0.1f), 4);
        var (x, y) = Batch("mlp", model, ModelOptions.Mnist, 4);
        var first = new DpSgdStep(trainer, 1e9, 0, 4);
        first.ClippedSum(x, y);
        var norms = new double[4];
        first.CopyNormsTo(norms);
        var unclipped = model.Gradients.ToArray();
        double smallest = norms.Min();
        var atSmallest = new DpSgdStep(trainer, smallest, 0, 4);
        atSmallest.ClippedSum(x, y);
        Assert.Equal(0.75, atSmallest.ClippedFraction);
        Assert.Equal(3, atSmallest.ClippedExamples);
        var atLargest = new DpSgdStep(trainer, norms.Max(), 0, 4);
        atLargest.ClippedSum(x, y);
        Assert.Equal(0, atLargest.ClippedFraction);
        Assert.Equal(unclipped, model.Gradients);
    }

    [Fact]
    public void BadSettingsAreRefusedByName()
    {
        var trainer = new Trainer(ModelZoo.Create("logreg", 5), new Sgd(0.1f), 4);
        Assert.Contains("clip norm", Assert.Throws<ArgumentOutOfRangeException>(() => new DpSgdStep(trainer, 0, 1, 4)).Message);
        Assert.Contains("noise multiplier", Assert.Throws<ArgumentOutOfRangeException>(() => new DpSgdStep(trainer, 1, -1, 4)).Message);
        Assert.Contains("expected batch size", Assert.Throws<ArgumentOutOfRangeException>(() => new DpSgdStep(trainer, 1, 1, 0)).Message);
    }

    private static ModelOptions Options(string name) => name switch
    {
        "resnet20" => new ModelOptions { Channels = 3, Height = 8, Width = 8 },
        "charlstm" => new ModelOptions { Vocabulary = 12, SequenceLength = 6 },
        _ => ModelOptions.Mnist,
    };

    private static (float[] X, int[] Y) Batch(string name, Model model, ModelOptions options, int batch)
    {
        var random = RandomStream.Create(17, batch);
        var x = new float[batch * model.SampleShape.Size];
        int classes = name == "charlstm" ? options.Vocabulary : options.Classes;
        if (name == "charlstm")
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.NextInt(options.Vocabulary);
            }
        }
        else
        {
            random.FillNormal(x, 0, 1);
        }
        var y = Enumerable.Range(0, batch).Select(_ => random.NextInt(classes)).ToArray();
        return (x, y);
    }

    private static float[][] BatchOfOneGradients(Trainer trainer, float[] x, int[] y)
    {
        int size = x.Length / y.Length;
        var result = new float[y.Length][];
        for (int i = 0; i < y.Length; i++)
        {
            var logits = trainer.Forward(x.AsSpan(i * size, size), 1, training: true);
            var loss = trainer.Tape.CrossEntropy(logits, y.AsSpan(i, 1));
            trainer.Model.ZeroGrad();
            trainer.Tape.Backward(loss);
            result[i] = trainer.Model.Gradients.ToArray();
        }
        return result;
    }
}
