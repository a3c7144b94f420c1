using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests;

public class TrainingTests
{
    [Fact]
    public void ShortMnistRunReachesEightyFivePercent()
    {
        var data = TestExperiments.MnistSubset(6000, 1000);
        var config = TestExperiments.Config("model=mlp", "partition.clients=20", "clients_per_round=10", "rounds=5", "client.epochs=3", "client.batch_size=10", "client.lr=0.1", "seed=1");
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        var summary = simulation.Run();
        Assert.True(summary.FinalTestAccuracy >= 0.85, $"accuracy {summary.FinalTestAccuracy}");
        Assert.Equal(5, simulation.History.Count);
        var last = simulation.History[^1];
        Assert.Equal(10, last.Clients);
        Assert.Equal(2L * 4 * 199_210 * 10, last.BytesUp + last.BytesDown);
        Assert.InRange(last.ClientAccuracy.Worst, 0.5, last.ClientAccuracy.Mean);
        Assert.True(last.TrainLoss < simulation.History[0].TrainLoss);
    }

    [Fact]
    public void BaselinesBracketFederatedTraining()
    {
        var data = TestExperiments.MnistSubset(2000, 500);
        double Accuracy(string mode)
        {
            var config = TestExperiments.Config($"mode={mode}", "model=logreg", "partition.kind=shards", "partition.clients=10", "clients_per_round=10", "rounds=3", "client.epochs=1", "client.lr=0.05", "seed=2");
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            return simulation.Run().FinalTestAccuracy;
        }
        double centralized = Accuracy("centralized"), federated = Accuracy("federated"), local = Accuracy("local");
        Assert.True(centralized > federated - 0.02, $"centralized {centralized} vs federated {federated}");
        Assert.True(local > 0.5, $"local clients should learn their own two labels; got {local}");
        Assert.True(centralized > 0.8, $"centralized {centralized}");
    }

    [Fact]
    public void TargetAccuracyStopsTheRun()
    {
        var data = TestExperiments.MnistSubset(2000, 300);
        var config = TestExperiments.Config("model=logreg", "partition.clients=10", "clients_per_round=5", "rounds=50", "client.lr=0.1", "target_accuracy=0.6");
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        var summary = simulation.Run();
        Assert.NotNull(summary.RoundsToTarget);
        Assert.Equal(summary.RoundsToTarget, summary.RoundsRun);
        Assert.True(summary.RoundsRun < 50);
    }
}
