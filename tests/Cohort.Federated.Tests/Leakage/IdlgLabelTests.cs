using Cohort.Federated.Leakage;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>iDLG's rule names the true label of a batch of one from the output layer's gradient, for every label.</summary>
public sealed class IdlgLabelTests
{
    [Theory]
    [InlineData("logreg")]
    [InlineData("mlp")]
    [InlineData("lenet5")]
    public void EveryLabelOfABatchOfOneIsRecovered(string name)
    {
        var model = ModelZoo.Create(name, 3);
        var probe = new GradientProbe(model, 1);
        var gradient = new float[model.ParameterCount];
        for (int label = 0; label < 10; label++)
        {
            probe.Loss(TinyNets.Image(784, (ulong)label), probe.OneHot([label]), gradient, [], []);
            Assert.Equal([label], IdlgLabels.Infer(new LeakageTarget(model, gradient, 1)));
        }
    }

    [Fact]
    public void ABatchOfDistinctLabelsIsRecoveredAsASetByALinearModel()
    {
        // Logistic regression's rows: Σ_b (p_bc − y_bc)·Σx_b; with two examples of similar mass the true rows are the negative ones.
        var model = ModelZoo.Create("logreg", 3);
        var probe = new GradientProbe(model, 2);
        var gradient = new float[model.ParameterCount];
        var x = TinyNets.Image(784, 1).Concat(TinyNets.Image(784, 2)).ToArray();
        probe.Loss(x, probe.OneHot([4, 8]), gradient, [], []);
        Assert.Equal(2, LeakageExperiment.Overlap([4, 8], IdlgLabels.Infer(new LeakageTarget(model, gradient, 2))));
    }
}
