using Cohort.Federated.Components;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Tests.Stages;

/// <summary>The <c>stages</c> list: the default order, an order from the experiment file, and the errors that name the key.</summary>
public class StageOrderTests
{
    private static readonly Segments Segments = new([8]);

    private static IEnumerable<string> Names(ExperimentConfig config)
    {
        using var states = new SpillingStateStore(1 << 20);
        return ClientSetup.Pipeline(config, Segments, states).Stages.Select(s => s.Name).ToList();
    }

    [Fact]
    public void TheDefaultIsMomentumThenCompressionThenClipping()
    {
        var config = TestExperiments.Config("robust.worker_momentum=0.9", "compression.uplink.name=topk", "aggregator.clip=1");
        Assert.Equal(["worker-momentum", "topk", "clip"], Names(config));
        Assert.Empty(Names(TestExperiments.Config()));
    }

    [Fact]
    public void TheExperimentFileOrdersTheStages()
    {
        var config = ExperimentConfig.FromYaml("""
            dataset: { name: mnist }
            robust: { worker_momentum: 0.9 }
            aggregator: { clip: 1 }
            stages: [clip, worker-momentum]
            """, "test.yaml");
        Assert.Equal(["clip", "worker-momentum"], Names(config));
        // A stage listed but off does nothing.
        config.Set("stages", "compression, clip, worker-momentum");
        Assert.Equal(["clip", "worker-momentum"], Names(config));
    }

    [Theory]
    [InlineData("noise, clip", "'noise' is not a stage")]
    [InlineData("clip, clip", "'clip' is listed twice")]
    [InlineData("worker-momentum", "'clip' is on (aggregator.clip) but not in the list")]
    public void ABadListIsAnErrorNamingTheKey(string list, string message)
    {
        var config = TestExperiments.Config("aggregator.clip=1", "robust.worker_momentum=0.5", $"stages={list}");
        var e = Assert.Throws<ConfigException>(() => Names(config));
        Assert.StartsWith("stages: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void OnlyAListKeyTakesAList()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.FromYaml("partition:\n  kind: [iid]\n", "test.yaml"));
        Assert.Contains("partition.kind must be a single value", e.Message);
    }

    [Fact]
    public void TheStagesKeyNamesEveryDeclaredStageInItsDefaultOrder()
    {
        Assert.Equal("order of the update stages that are on: a list of dp-central, dp-local, dp-sgd, dp-sgd-pooled, worker-momentum, compression, clip (default: that order)", ExperimentKeys.Get("stages").Description);
        var extra = new StageDeclaration("a-first", "a stage placed first", "none", _ => []) { Order = -1 };
        var spec = StageOrder.Spec([.. ComponentRegistry.All, extra]);
        Assert.Equal("order of the update stages that are on: a list of a-first, dp-central, dp-local, dp-sgd, dp-sgd-pooled, worker-momentum, compression, clip (default: that order)", spec.Description);
    }

    [Fact]
    public void OnlyAStageThatChangesReceivedUpdatesAsksTheServerForACopy()
    {
        var clipping = new NormClippingStage(1, new ClippingMeter());
        Assert.True(new UpdatePipeline([clipping, FiniteUpdates.Instance]).ChangesReceived);
        Assert.False(new UpdatePipeline([FiniteUpdates.Instance]).ChangesReceived);
        Assert.False(UpdatePipeline.Empty.ChangesReceived);
    }
}
