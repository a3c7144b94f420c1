using Cohort.Data;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.State;

namespace Cohort.Federated.Tests.Personal;

/// <summary>
/// Every method with personal state keeps it in the client-state store: under a budget smaller than the
/// clients' personal models the store spills them, holds no more than the budget in memory, and the run's
/// models and personal scores are the same bits as when everything stays in memory.
/// </summary>
public class PersonalSpillTests
{
    /// <summary>Clients that each keep a personal model (the logistic model's 31,400 bytes, or its weights), 1.5 MB in all.</summary>
    private const int Clients = 48;

    [Theory]
    [InlineData("ditto", "algorithm.lambda=0.1")]
    [InlineData("apfl", "algorithm.alpha=0.5")]
    [InlineData("pfedme", "algorithm.inner_steps=2")]
    [InlineData("perfedavg", "algorithm.alpha=0.03")]
    [InlineData("l2gd", "algorithm.p=0.2")]
    [InlineData("ifca", "algorithm.clusters=2")]
    [InlineData("fedper", "algorithm.personal=fc.weight")]
    public void PersonalStateSpilledBeyondTheBudgetChangesNoBit(string method, string parameter)
    {
        var data = TestExperiments.MnistSubset(Clients * 8, Clients * 2);
        var inMemory = Run(method, parameter, data, memoryMb: 1024);
        var spilled = Run(method, parameter, data, memoryMb: 1);

        // The 48 clients' personal state does not fit in 1 MiB; under the default budget it never spills.
        Assert.Equal(0, inMemory.Spilled);
        Assert.True(spilled.Spilled > 0, $"{method}: nothing spilled");
        Assert.InRange(spilled.Peak, 1, 1L << 20);
        Assert.True(inMemory.Peak > 1L << 20, $"{method}: {inMemory.Peak} bytes in memory at most");
        Assert.Equal(inMemory.Model, spilled.Model);
        Assert.Equal(inMemory.Personal, spilled.Personal);
        Assert.Contains(spilled.Statements, s => s.Key == "client_state" && s.Value.Contains("client_state.memory_mb 1", StringComparison.Ordinal));
        Assert.DoesNotContain(inMemory.Statements, s => s.Key == "client_state");
    }

    private static (float[] Model, double[] Personal, long Peak, int Spilled, IReadOnlyList<(string Key, string Value)> Statements) Run(
        string method, string parameter, TrainTest data, int memoryMb)
    {
        var config = TestExperiments.Config("model=logreg", $"algorithm.name={method}", parameter, $"partition.clients={Clients}", "partition.kind=dirichlet",
            $"clients_per_round={Clients}", "rounds=2", "client.steps=3", "client.batch_size=4", "threads=2", "diagnostics.enabled=false",
            "eval.every=1", $"client_state.memory_mb={memoryMb}");
        using var run = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        var summary = run.Run();
        var store = Assert.IsType<SpillingStateStore>(run.States);
        double[] personal = [.. run.History.SelectMany(m => new[] { m.Extra["personal_accuracy_mean"], m.Extra["personal_accuracy_worst"], m.Extra["personal_accuracy_std"] })];
        return (run.Server.Global.ToArray(), personal, store.PeakBytesInMemory, store.SpilledCount, summary.Statements);
    }
}
