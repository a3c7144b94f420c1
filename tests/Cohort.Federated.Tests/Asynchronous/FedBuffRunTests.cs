using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Tests.Asynchronous;

public class FedBuffRunTests
{
    private static readonly string[] Common = ["model=mlp", "partition.kind=dirichlet", "partition.alpha=0.5", "partition.clients=6", "clients_per_round=3",
        "rounds=3", "client.steps=4", "client.batch_size=10", "seed=7", "diagnostics.enabled=false"];

    /// <summary>
    /// Concurrency = buffer = cohort size and equal client times: every buffer is one version's clients, drawn
    /// from the cohort streams of FedAvg's rounds, nothing is stale, and the server steps with rate 1, so the
    /// run is FedAvg's bit for bit.
    /// </summary>
    [Fact]
    public void FedBuffWithNothingStaleIsFedAvg()
    {
        var fedavg = Run(out var fedavgModel, "algorithm.name=fedavg", "threads=2");
        var fedbuff = Run(out var fedbuffModel, "algorithm.name=fedbuff", "algorithm.buffer_size=3", "algorithm.concurrency=3", "algorithm.duration_sigma=0", "threads=2");
        // FedBuff's rounds also report their updates' staleness, here none.
        Assert.All(fedbuff.Where(f => f.Item1 == "staleness"), f => Assert.Equal(0, f.Item2));
        Assert.Equal(3, fedbuff.Count(f => f.Item1 == "staleness"));
        Assert.Equal(fedavg, fedbuff.Where(f => f.Item1 != "staleness").ToList());
        Assert.Equal(fedavgModel, fedbuffModel);
    }

    [Fact]
    public void StaleRunIsTheSameWhateverTheThreadCount()
    {
        string[] fedbuff = ["algorithm.name=fedbuff", "algorithm.buffer_size=2", "algorithm.concurrency=4", "algorithm.duration_sigma=1", "rounds=5"];
        var one = Run(out var modelOne, [.. fedbuff, "threads=1"]);
        var two = Run(out var modelTwo, [.. fedbuff, "threads=2"]);
        Assert.Equal(one, two);
        Assert.Equal(modelOne, modelTwo);
        // Four clients in flight and a step every two updates: later buffers hold stale updates.
        Assert.Contains(one, f => f.Item1 == "staleness" && f.Item2 > 0);
    }

    [Theory]
    [InlineData("algorithm.concurrency=7", "algorithm.concurrency")]
    [InlineData("algorithm.buffer_size=7", "algorithm.buffer_size")]
    [InlineData("algorithm.max_staleness=-1", "algorithm.max_staleness")]
    public void BadSettingsNameTheirKey(string assignment, string key)
    {
        var error = Assert.Throws<ConfigException>(() => AlgorithmFactory.Create(TestExperiments.Config([.. Common, "algorithm.name=fedbuff", "algorithm.concurrency=3", assignment])));
        Assert.Contains(key, error.Message);
    }

    private static List<(string, double)> Run(out float[] model, params string[] assignments)
    {
        var data = TestExperiments.MnistSubset(600, 200);
        var config = TestExperiments.Config([.. Common, .. assignments]);
        var collected = new Collector();
        using var run = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config), [collected]);
        run.Run();
        model = run.Server.Global;
        return collected.Rounds.SelectMany(r => r.Fields()).Where(f => !RoundMetrics.IsTiming(f.Name)).ToList();
    }

    private sealed class Collector : IRunCallback
    {
        public List<RoundMetrics> Rounds { get; } = [];

        public void OnRound(RoundMetrics metrics) => Rounds.Add(metrics);
    }
}
