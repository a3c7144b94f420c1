using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Tests.Personalization;

/// <summary>The personalization methods end to end on a small MNIST federation: they learn with their defaults, deterministically, and report personal accuracy.</summary>
public class PersonalizationRunTests
{
    private static (float[] Model, RoundMetrics Last) Run(string method, int threads, params string[] settings)
    {
        var data = TestExperiments.MnistSubset(600, 300);
        var config = TestExperiments.Config([.. new[] { "model=logreg", $"algorithm.name={method}", "partition.kind=dirichlet", "partition.alpha=0.3", "partition.clients=6",
            "clients_per_round=6", "rounds=3", "client.steps=8", "client.batch_size=20", "client.lr=0.05", "eval.clients=true", $"threads={threads}", "diagnostics.enabled=false" }, .. settings]);
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        return (simulation.Server.Global.ToArray(), simulation.History[^1]);
    }

    [Theory]
    [InlineData("ditto")]
    [InlineData("apfl")]
    [InlineData("pfedme")]
    [InlineData("perfedavg")]
    [InlineData("ifca")]
    [InlineData("l2gd")]
    [InlineData("pcl")]
    public void MethodLearnsPersonalModelsWithDefaultsAndIsDeterministic(string method)
    {
        var one = Run(method, 1);
        var two = Run(method, 2);
        Assert.Equal(one.Model, two.Model);
        double mean = one.Last.Extra["personal_accuracy_mean"];
        Assert.Equal(mean, two.Last.Extra["personal_accuracy_mean"]);
        Assert.True(mean > 0.3 && mean <= 1, $"{method}: personal accuracy {mean}");
        Assert.InRange(one.Last.Extra["personal_accuracy_worst"], 0, mean);
    }

    [Fact]
    public void DittosGlobalTrajectoryIsFedAvgsBitForBit()
    {
        var fedavg = Run("fedavg", 2);
        var ditto = Run("ditto", 2, "algorithm.lambda=0.5", "algorithm.personal_steps=5");
        Assert.Equal(fedavg.Model, ditto.Model);
        Assert.Equal(fedavg.Last.TestAccuracy, ditto.Last.TestAccuracy);
        // The personal models are other models than the global one.
        Assert.NotEqual(ditto.Last.ClientAccuracy.Mean, ditto.Last.Extra["personal_accuracy_mean"]);
    }

    [Fact]
    public void UnderLabelFlippingTheHonestClientsPersonalAccuracyLeavesTheFlippersOut()
    {
        var ditto = Run("ditto", 1, "attack.name=label-flip", "attack.byzantine=2").Last;
        // A flipper's personal model learns the flipped labels, so it scores low on its own (true) test split.
        Assert.True(ditto.Extra["honest_personal_accuracy_mean"] > ditto.Extra["personal_accuracy_mean"],
            $"honest {ditto.Extra["honest_personal_accuracy_mean"]}, all {ditto.Extra["personal_accuracy_mean"]}");
        Assert.True(ditto.Extra.ContainsKey("honest_global_accuracy_mean"));
        Assert.DoesNotContain(Run("ditto", 1).Last.Extra.Keys, k => k.StartsWith("honest_", StringComparison.Ordinal));
    }

    [Fact]
    public void FineTuneWithZeroStepsScoresTheGlobalModelOnEachClient()
    {
        var finetune = Run("finetune", 1, "algorithm.steps=0");
        var spread = finetune.Last.ClientAccuracy;
        Assert.Equal(spread.Mean, finetune.Last.Extra["personal_accuracy_mean"]);
        Assert.Equal(spread.Worst, finetune.Last.Extra["personal_accuracy_worst"]);
        Assert.Equal(Run("fedavg", 1).Model, finetune.Model);
        // One step moves each client's model off the global one.
        Assert.NotEqual(spread.Mean, Run("finetune", 1, "algorithm.steps=5").Last.Extra["personal_accuracy_mean"]);
    }

    [Fact]
    public void ApflWithAlphaFixedAtZeroScoresTheGlobalModelOnEachClient()
    {
        var apfl = Run("apfl", 1, "algorithm.alpha=0", "algorithm.alpha_lr=0");
        var spread = apfl.Last.ClientAccuracy;
        Assert.Equal(spread.Mean, apfl.Last.Extra["personal_accuracy_mean"]);
        Assert.Equal(spread.P10, apfl.Last.Extra["personal_accuracy_p10"]);
        Assert.Equal(spread.Worst, apfl.Last.Extra["personal_accuracy_worst"]);
        Assert.Equal(Run("fedavg", 1).Model, apfl.Model);
    }
}
