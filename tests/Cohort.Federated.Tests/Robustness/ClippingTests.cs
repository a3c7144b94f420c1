using Cohort.Federated.Aggregation.Robust;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Tests.Robustness;

/// <summary>Centered clipping's default τ, and the share of vectors each clipping rule shortens (clipped_fraction).</summary>
public class ClippingTests
{
    private static float[] Aggregate(BufferedAggregator rule, params float[][] updates) => RobustAggregatorTests.Aggregate(rule, updates);

    [Fact]
    public void CenteredClippingsDefaultTauIsTheFirstRoundsMedianDistanceAndStays()
    {
        var meter = new ClippingMeter();
        var cc = new CenteredClipping(iterations: 1) { Clipping = meter };
        Assert.Null(cc.Tau);
        // From v = 0 the distances are ‖(3, 4)‖ = 5, ‖(0, 1)‖ = 1, ‖(0, 2)‖ = 2: τ = 2. Only (3, 4) is
        // clipped, to (1.2, 1.6); v = ((1.2 + 0 + 0) / 3, (1.6 + 1 + 2) / 3).
        var first = Aggregate(cc, [3, 4], [0, 1], [0, 2]);
        Assert.Equal(2, cc.Tau);
        Assert.Equal(0.4f, first[0], 1e-6);
        Assert.Equal(4.6f / 3, first[1], 1e-6);
        Assert.Equal(1.0 / 3, meter.Fraction, 1e-12);
        // The next round keeps τ = 2 (its own median distance would be 10): v + clip((0, 10)) = v + (0, 2).
        meter.Reset();
        var second = Aggregate(cc, [0.4f, 4.6f / 3 + 10]);
        Assert.Equal(0.4f, second[0], 1e-6);
        Assert.Equal(4.6f / 3 + 2, second[1], 1e-5);
        Assert.Equal(1.0, meter.Fraction);
    }

    [Fact]
    public void CenteredClippingCountsEveryClipOfEveryIteration()
    {
        var meter = new ClippingMeter();
        // τ = 1, two iterations from v = 0. First: (3, 0) and (0, 0.5) → clipped (1, 0) and (0, 0.5), v = (0.5, 0.25).
        // Second: (2.5, −0.25) is clipped (norm 2.51), (−0.5, 0.25) is not (norm 0.56). 2 of 4.
        var cc = new CenteredClipping(tau: 1, iterations: 2) { Clipping = meter };
        Aggregate(cc, [3, 0], [0, 0.5f]);
        Assert.Equal(0.5, meter.Fraction);
    }

    [Fact]
    public void NormClippingCountsTheUpdatesItShortens()
    {
        var meter = new ClippingMeter();
        var stage = new NormClippingStage(2, meter);
        float[][] updates = [[3, 4], [0.6f, 0.8f], [0, 2.5f], [1, 1]];
        foreach (var update in updates)
        {
            Assert.True(stage.OnReceived(new StageContext(1, 0, 0), update));
        }
        // (3, 4) and (0, 2.5) are longer than 2 and are scaled to norm 2; the others stay.
        Assert.Equal([1.2f, 1.6f], updates[0]);
        Assert.Equal([0, 2f], updates[2]);
        Assert.Equal([1f, 1f], updates[3]);
        Assert.Equal(0.5, meter.Fraction);
        var metrics = new RoundMetrics();
        stage.Report(metrics);
        Assert.Equal(0.5, metrics.Extra["clipped_fraction"]);
        meter.Reset();
        var none = new RoundMetrics();
        stage.Report(none);
        Assert.False(none.Extra.ContainsKey("clipped_fraction"));
    }

    [Theory]
    [InlineData("aggregator.name=centered-clipping")]
    [InlineData("aggregator.clip=0.5")]
    public void RunsReportTheClippedFractionEachRound(string setting)
    {
        var data = TestExperiments.MnistSubset(1000, 200);
        var config = TestExperiments.Config("model=logreg", "partition.clients=10", "clients_per_round=10", "rounds=2", "client.epochs=1", "client.lr=0.1", "seed=4", "eval.clients=false", setting);
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        Assert.Equal(2, simulation.History.Count);
        Assert.All(simulation.History, m => Assert.InRange(m.Extra["clipped_fraction"], 0, 1));
        // The first round clips: the largest updates (the default τ is that round's median distance) or those above 0.5.
        Assert.InRange(simulation.History[0].Extra["clipped_fraction"], 1e-9, 1);
    }

    [Fact]
    public void TheDefaultTauLivesInTheServerStateSoCheckpointsCarryIt()
    {
        var data = TestExperiments.MnistSubset(1000, 200);
        var config = TestExperiments.Config("model=logreg", "partition.clients=10", "clients_per_round=10", "rounds=1", "client.epochs=1", "seed=4", "eval.clients=false", "aggregator.name=centered-clipping");
        using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        var cc = Assert.IsType<CenteredClipping>(simulation.Aggregator);
        Assert.True(cc.Tau > 0);
        Assert.Equal(cc.Tau!.Value, simulation.Server.Records.Single(r => r.Declaration.Owner == cc.Name).Scalar(CenteredClipping.RadiusScalar));
    }
}
