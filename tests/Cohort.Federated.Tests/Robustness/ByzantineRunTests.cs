using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Tests.Robustness;

public class ByzantineRunTests
{
    private static (double Accuracy, FederatedRun Run) Run(params string[] settings)
    {
        var data = TestExperiments.MnistSubset(2000, 500);
        var config = TestExperiments.Config([.. new[] { "model=logreg", "partition.clients=10", "clients_per_round=10", "rounds=4", "client.epochs=1", "client.lr=0.1", "seed=4", "eval.clients=false" }, .. settings]);
        var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        return (simulation.Run().FinalTestAccuracy, simulation);
    }

    [Fact]
    public void NonFiniteUpdatesAreRejectedAndTheRunGoesOn()
    {
        var (accuracy, simulation) = Run("attack.name=nan", "attack.byzantine=2");
        using (simulation)
        {
            Assert.True(accuracy > 0.75, $"accuracy {accuracy}");
            Assert.All(simulation.History, m => Assert.Equal(2.0, m.Extra["rejected_updates"]));
            Assert.True(simulation.Server.Global.All(float.IsFinite));
        }
    }

    [Theory]
    [InlineData("scaffold")]
    [InlineData("mime")]
    [InlineData("fednova")]
    public void MethodsWithMoreThanTheUpdateRefuseNonFiniteByzantineUpdates(string method)
    {
        var (accuracy, simulation) = Run($"algorithm.name={method}", "attack.name=nan", "attack.byzantine=2");
        using (simulation)
        {
            Assert.True(accuracy > 0.6, $"accuracy {accuracy}");
            Assert.All(simulation.History, m => Assert.Equal(2.0, m.Extra["rejected_updates"]));
            Assert.All(simulation.History, m => Assert.Equal(2.0, m.Extra["byzantine"]));
            Assert.True(simulation.Server.Global.All(float.IsFinite));
            Assert.True(simulation.Server.Records.SelectMany(r => r.Vectors).All(v => v.All(float.IsFinite)));
        }
    }

    [Fact]
    public void MedianWithstandsNoiseThatBreaksTheMean()
    {
        var (mean, s1) = Run("attack.name=gaussian", "attack.sigma=10", "attack.byzantine=0.2");
        var (median, s2) = Run("attack.name=gaussian", "attack.sigma=10", "attack.byzantine=0.2", "aggregator.name=median");
        s1.Dispose();
        s2.Dispose();
        Assert.True(median > 0.75, $"median {median}");
        Assert.True(mean < median - 0.2, $"mean {mean} vs median {median}");
    }

    [Fact]
    public void ZenoScoresAwayTheNoise()
    {
        var (zeno, simulation) = Run("attack.name=gaussian", "attack.sigma=10", "attack.byzantine=2", "aggregator.name=zeno");
        simulation.Dispose();
        Assert.True(zeno > 0.75, $"zeno {zeno}");
    }

    [Fact]
    public void RobustRunsAreIdenticalForAnyThreadCount()
    {
        var (_, one) = Run("attack.name=alie", "attack.byzantine=2", "aggregator.name=krum", "threads=1", "rounds=2");
        var (_, two) = Run("attack.name=alie", "attack.byzantine=2", "aggregator.name=krum", "threads=2", "rounds=2");
        using (one)
        using (two)
        {
            Assert.Equal(one.Server.Global, two.Server.Global);
            Assert.Equal(2, one.Byzantine!.Count);
        }
    }

    [Fact]
    public void ByzantineCountsAndKeysAreChecked()
    {
        var e = Assert.Throws<ConfigException>(() => Run("attack.name=bit-flip", "attack.byzantine=11"));
        Assert.Contains("attack.byzantine", e.Message);
        var bad = Assert.Throws<ConfigException>(() => TestExperiments.Config("aggregator.name=krumm"));
        Assert.Contains("aggregator.name", bad.Message);
    }

    [Fact]
    public void WorkerMomentumMixesEachClientsHistory()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new WorkerMomentum(0.9, states);
        float[] first = [1, 2];
        stage.OnClient(new StageContext(1, 3, 0), first);
        Assert.Equal([1f, 2f], first);
        float[] second = [11, -8];
        stage.OnClient(new StageContext(2, 3, 0), second);
        // 0.1·(11, −8) + 0.9·(1, 2).
        Assert.Equal(2f, second[0], 1e-6);
        Assert.Equal(1f, second[1], 1e-6);
        float[] other = [5, 5];
        stage.OnClient(new StageContext(2, 4, 0), other);
        Assert.Equal([5f, 5f], other);
    }
}
