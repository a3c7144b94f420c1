using Cohort.Federated.Leakage;
using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>The analytic attack reads a fully connected layer's input off its gradients exactly at batch 1.</summary>
public sealed class AnalyticAttackTests
{
    [Theory]
    [InlineData("logreg", 3)]
    [InlineData("mlp", 7)]
    public void AZooModelsInputIsRecoveredToFloatPrecisionAtBatchOne(string name, int label)
    {
        var model = ModelZoo.Create(name, 11);
        var x = TinyNets.Image(784, 5);
        var reconstruction = Attack(model, x, label);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], reconstruction.Images[i], 2e-6 * Math.Max(1, Math.Abs(x[i])));
        }
        Assert.Equal([label], reconstruction.Labels);
    }

    [Fact]
    public void SeedOnesLinearExampleReadsXOffTheRatioOfTheGradients()
    {
        // y = ax + b under f = (ax + b − y)², a = 2, b = 1, at x = 3, y = 4: the residual is 3, so
        // ∂f/∂a = 2·3·x = 18 and ∂f/∂b = 2·3 = 6, and x̂ = 18 / 6 = 3.
        var builder = new ParameterBuilder();
        var line = new Linear(builder, "line", 1, 1);
        var model = new Model("line", line, builder, new Shape(1), 0);
        model.Parameters[0] = 2;
        model.Parameters[1] = 1;
        var tape = new Tape();
        var input = Tensor.FromArray([3f], new Shape(1, 1));
        var loss = tape.Mse(model.Forward(tape, input), Tensor.FromArray([4f], new Shape(1, 1)));
        tape.Backward(loss);
        Assert.Equal(18f, model.Gradients[0]);
        Assert.Equal(6f, model.Gradients[1]);
        var x = new float[1];
        AnalyticAttack.Recover(model.Gradients.AsSpan(0, 1), model.Gradients[1], x);
        Assert.Equal(3f, x[0]);
    }

    [Fact]
    public void AModelThatDoesNotStartFullyConnectedIsRefusedByName()
    {
        var model = ModelZoo.Create("cnn", 1);
        var error = Assert.Throws<ArgumentException>(() => Attack(model, new float[784], 0));
        Assert.Contains("'cnn' does not start with a fully connected layer", error.Message, StringComparison.Ordinal);
    }

    private static Reconstruction Attack(Model model, float[] x, int label)
    {
        var probe = new GradientProbe(model, 1);
        var gradient = new float[model.ParameterCount];
        probe.Loss(x, probe.OneHot([label]), gradient, [], []);
        var random = RandomStream.Create(1);
        return new AnalyticAttack().Reconstruct(new LeakageTarget(model, gradient, 1), ref random);
    }
}
