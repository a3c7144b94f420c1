using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Tests;

public class FusedSgdTests
{
    [Theory]
    [InlineData("mlp", 20, 8)]
    [InlineData("cnn", 4, 3)]
    [InlineData("logreg", 20, 16)]
    [InlineData("lenet5", 6, 5)]
    [InlineData("charlstm", 2, 2)]
    public void FusedStepsGiveTheUnfusedWeightsBitForBit(string name, int steps, int batch)
    {
        var fused = Train(ModelZoo.Create(name, 3), steps, batch, fuse: true);
        var unfused = Train(ModelZoo.Create(name, 3), steps, batch, fuse: false);
        Assert.Equal(unfused, fused);
        Assert.NotEqual(ModelZoo.Create(name, 3).Parameters, fused);
    }

    [Fact]
    public void EveryWeightOfTheMlpIsSteppedInTheBackwardPass()
    {
        var model = ModelZoo.Create("mlp", 3);
        var tape = new Tape();
        var (x, _) = Batch(model, 4, 0);
        model.Forward(tape, new Tensor(x, 0, new Shape(4, 1, 28, 28)));
        var plan = new FusedSgd();
        plan.Plan(tape, model.Parameters, 0.1f);
        var weights = model.NamedParameters.Where(p => p.Name!.EndsWith(".weight", StringComparison.Ordinal)).Select(p => (p.Offset, p.Size));
        Assert.Equal(weights, plan.Ranges.ToArray());
        Assert.Equal(-0.1f, plan.MinusLearningRate);

        // A fused trainer step writes no weight gradient (the bias gradients are written as before).
        var trainer = new Trainer(model, new Sgd(0.1f), 4);
        var (bx, by) = Batch(model, 4, 1);
        trainer.Step(bx, by);
        foreach (var p in model.NamedParameters)
        {
            bool written = model.Gradients.AsSpan(p.Offset, p.Size).ContainsAnyExcept(0f);
            Assert.Equal(p.Name!.EndsWith(".bias", StringComparison.Ordinal), written);
        }
    }

    [Fact]
    public void AWeightUsedTwiceIsLeftToTheOptimizer()
    {
        var tied = TiedModel();
        var tape = new Tape();
        var (x, _) = Batch(tied, 4, 0);
        tied.Forward(tape, new Tensor(x, 0, new Shape(4, 6)));
        var plan = new FusedSgd();
        plan.Plan(tape, tied.Parameters, 0.1f);
        // The shared square weight feeds two products; only the head's weight is fused.
        var head = tied.NamedParameters.Single(p => p.Name == "head.weight");
        Assert.Equal([(head.Offset, head.Size)], plan.Ranges.ToArray());

        var fused = Train(TiedModel(), 10, 4, fuse: true);
        var unfused = Train(TiedModel(), 10, 4, fuse: false);
        Assert.Equal(unfused, fused);
    }

    [Fact]
    public void MomentumAndBigBatchesTakeTheOrdinaryStep()
    {
        // Momentum is not plain SGD; a batch deeper than one GEMM block is not fused either.
        var withMomentum = Train(ModelZoo.Create("mlp", 3), 5, 8, fuse: true, new Sgd(0.05f, momentum: 0.9));
        var reference = Train(ModelZoo.Create("mlp", 3), 5, 8, fuse: false, new Sgd(0.05f, momentum: 0.9));
        Assert.Equal(reference, withMomentum);
        var big = Train(ModelZoo.Create("logreg", 3), 3, 300, fuse: true);
        var bigReference = Train(ModelZoo.Create("logreg", 3), 3, 300, fuse: false);
        Assert.Equal(bigReference, big);
    }

    [Fact]
    public void SgdRefusesToLeaveAStepWithMomentumToTheBackwardPass()
    {
        var sgd = new Sgd(0.1f, momentum: 0.5);
        var e = Assert.Throws<InvalidOperationException>(() => sgd.StepOutside(new float[4], new float[4], []));
        Assert.Contains("plain SGD", e.Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1029)]
    [InlineData(5000)]
    public void NoisedStepGivesTheNoiseThenTheStepBitForBit(int length)
    {
        var random = RandomStream.Create(4, 2);
        var parameters = new float[length];
        var gradients = new float[length];
        random.FillUniform(parameters, -1f, 1f);
        random.FillUniform(gradients, -0.5f, 0.5f);
        var (expectedParameters, expectedGradients) = ((float[])parameters.Clone(), (float[])gradients.Clone());
        var reference = RandomStream.Create(8);
        GaussianNoise.AddScaled(ref reference, expectedGradients, 0.9f, 0.1f);
        new Sgd(0.05f).Step(expectedParameters, expectedGradients);

        var sgd = new Sgd(0.05f);
        var noise = RandomStream.Create(8);
        sgd.StepNoised(parameters, gradients, ref noise, 0.9f, 0.1f);

        Assert.Equal(expectedParameters.Select(BitConverter.SingleToInt32Bits), parameters.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expectedGradients.Select(BitConverter.SingleToInt32Bits), gradients.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(1, sgd.StepCount);
        Assert.Equal(reference.NextUInt32(), noise.NextUInt32());
    }

    [Fact]
    public void SgdRefusesANoisedStepWithMomentum()
    {
        var sgd = new Sgd(0.1f, momentum: 0.5);
        var noise = RandomStream.Create(1);
        var e = Assert.Throws<InvalidOperationException>(() => sgd.StepNoised(new float[4], new float[4], ref noise, 1f, 1f));
        Assert.Contains("plain SGD", e.Message);
    }

    private static float[] Train(Model model, int steps, int batch, bool fuse, Sgd? optimizer = null)
    {
        var trainer = new Trainer(model, optimizer ?? new Sgd(0.05f), batch) { FuseSgd = fuse };
        for (int s = 0; s < steps; s++)
        {
            var (x, y) = Batch(model, batch, s);
            trainer.Step(x, y);
        }
        return model.Parameters.ToArray();
    }

    private static (float[] X, int[] Y) Batch(Model model, int batch, int step)
    {
        var random = RandomStream.Create(17, step);
        var x = new float[model.SampleShape.Size * batch];
        bool tokens = model.Name == "charlstm";
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = tokens ? random.NextInt(80) : random.NextFloat();
        }
        var y = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            y[i] = random.NextInt(tokens ? 80 : 4);
        }
        return (x, y);
    }

    private static Model TiedModel()
    {
        var builder = new ParameterBuilder();
        var root = new TwiceThenHead(builder);
        return new Model("tied", root, builder, new Shape(6), seed: 5);
    }

    /// <summary>h = relu(W·relu(W·x)), logits = head(h): W is used by two operations.</summary>
    private sealed class TwiceThenHead(ParameterBuilder b) : Module
    {
        private readonly Linear _shared = new(b, "shared", 6, 6);
        private readonly Linear _head = new(b, "head", 6, 4);

        public override Tensor Forward(Tape tape, Tensor x)
        {
            var h = tape.Relu(_shared.Forward(tape, x));
            h = tape.Relu(_shared.Forward(tape, h));
            return _head.Forward(tape, h);
        }
    }
}
