using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests;

/// <summary>
/// Methods whose defaults come from their papers learn at those defaults where FedAvg does: the
/// default model, two label shards a client, 20 clients of 200 MNIST samples, 10 a round, one epoch,
/// three rounds.
/// </summary>
public class DefaultsLearnTests
{
    [Theory]
    [InlineData("fedavg")]
    [InlineData("qffl")]
    public void MethodPassesThirtyPercentInThreeRoundsOnLabelShards(string name)
    {
        var data = TestExperiments.MnistSubset(4000, 500);
        var config = TestExperiments.Config($"algorithm.name={name}", "partition.kind=shards", "partition.clients=20", "clients_per_round=10",
            "rounds=3", "client.epochs=1", "seed=1", "eval.every=3", "eval.clients=false", "diagnostics.enabled=false");
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        double accuracy = simulation.Run().FinalTestAccuracy;
        Assert.True(accuracy >= 0.3, $"{name}: test accuracy {accuracy:F3} after 3 rounds");
    }
}
