using Cohort.Federated.Config;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests;

public class DiagnosticsScheduleTests
{
    [Fact]
    public void DefaultsSampleFewerClientsAtEveryTenthEvaluation()
    {
        var schedule = Experiment.From(TestExperiments.Config()).Diagnostics;
        Assert.True(schedule.Enabled);
        Assert.True(schedule.Clients < 10, $"{schedule.Clients} clients");
        Assert.Equal(10, schedule.Every);
        Assert.Equal([10, 20, 25], Measured(schedule, evalEvery: 1, rounds: 25));
        // Every k-th evaluation: with eval.every = 2, rounds 20, 40, … and the last.
        Assert.Equal([20, 40, 45], Measured(schedule, evalEvery: 2, rounds: 45));
        Assert.Empty(Measured(Experiment.From(TestExperiments.Config("diagnostics.enabled=false")).Diagnostics, 1, 25));
    }

    [Fact]
    public void EveryOneMeasuresEachEvaluatedRound()
    {
        var full = Experiment.From(TestExperiments.Config("diagnostics.clients=10", "diagnostics.every=1")).Diagnostics;
        Assert.Equal(new DiagnosticsSchedule(10, 1), full);
        Assert.Equal([1, 2, 3, 4, 5], Measured(full, evalEvery: 1, rounds: 5));
        Assert.Equal([3, 6, 7], Measured(full, evalEvery: 3, rounds: 7));
    }

    /// <summary>
    /// The schedule picks rounds only: a measured round gives the same ζ² and σ² whatever the schedule
    /// (the full measurement is the earlier behaviour), and training does not depend on it.
    /// </summary>
    [Fact]
    public void TheScheduleChangesWhichRoundsAreMeasuredNotTheValues()
    {
        var full = Run("diagnostics.clients=10", "diagnostics.every=1");
        var sparse = Run("diagnostics.clients=10", "diagnostics.every=2");
        var off = Run("diagnostics.enabled=false");
        Assert.Equal(off.Model, full.Model);
        Assert.Equal(off.Model, sparse.Model);
        Assert.All(full.History, m => Assert.True(m.Extra["zeta2"] > 0 && m.Extra["sigma2"] > 0));
        Assert.Equal([2, 4, 5], sparse.History.Where(m => m.Extra.ContainsKey("zeta2")).Select(m => m.Round));
        foreach (var m in sparse.History.Where(m => m.Extra.ContainsKey("zeta2")))
        {
            Assert.Equal(full.History[m.Round - 1].Extra["zeta2"], m.Extra["zeta2"]);
            Assert.Equal(full.History[m.Round - 1].Extra["sigma2"], m.Extra["sigma2"]);
        }
        // Drift comes from training and stays at every evaluated round.
        Assert.All(sparse.History, m => Assert.True(m.Extra.ContainsKey("drift")));
        // Fewer sampled clients: another estimate of the same quantities.
        var few = Run("diagnostics.clients=3", "diagnostics.every=1");
        Assert.NotEqual(full.History[^1].Extra["zeta2"], few.History[^1].Extra["zeta2"]);
    }

    private static (float[] Model, IReadOnlyList<Metrics.RoundMetrics> History) Run(params string[] diagnostics)
    {
        var data = TestExperiments.MnistSubset(600, 100);
        var config = TestExperiments.Config(["model=logreg", "partition.kind=dirichlet", "partition.alpha=0.3", "partition.clients=12", "clients_per_round=4",
            "rounds=5", "client.steps=5", "client.batch_size=20", "threads=2", "eval.clients=false", "seed=3", .. diagnostics]);
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        return (simulation.Server.Global.ToArray(), simulation.History.ToList());
    }

    private static int[] Measured(DiagnosticsSchedule schedule, int evalEvery, int rounds) =>
        [.. Enumerable.Range(1, rounds).Where(r => (r % evalEvery == 0 || r == rounds) && schedule.MeasuresGradients(r, evalEvery, rounds))];
}
