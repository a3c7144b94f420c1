using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests;

/// <summary>
/// The adaptive servers learn at their defaults where FedAvg does: three rounds of the default model
/// on MNIST's pathological 2-label shards (20 clients, 10 a round, one epoch; 6000 training images,
/// with 3000, FedAvg itself stays below 30 %).
/// </summary>
public class ServerOptimizerDefaultsTests
{
    [Theory]
    [InlineData("fedavg")]
    [InlineData("fedadagrad")]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    public void LearnsOnTwoLabelShardsInThreeRoundsAtDefaults(string name)
    {
        var data = TestExperiments.MnistSubset(6000, 1000);
        var config = TestExperiments.Config($"algorithm.name={name}", "partition.kind=shards", "partition.clients=20", "clients_per_round=10",
            "rounds=3", "client.epochs=1", "eval.every=3", "eval.clients=false", "diagnostics.enabled=false");
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        double accuracy = simulation.Run().FinalTestAccuracy;
        Assert.True(accuracy >= 0.3, $"{name}: test accuracy {accuracy:F3} after 3 rounds");
    }
}
