using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Tests.Compression;

public class CompressedTrainingTests
{
    private static FederatedRun Run(int threads, params string[] settings)
    {
        var data = TestExperiments.MnistSubset(2000, 400);
        var config = TestExperiments.Config(["model=logreg", "partition.clients=10", "clients_per_round=5", "rounds=4", "client.epochs=1", "client.lr=0.1", "seed=3", $"threads={threads}", .. settings]);
        var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void TopKWithErrorFeedbackStillLearnsAndSendsAboutOnePercent()
    {
        using var simulation = Run(2, "compression.uplink.name=topk", "compression.uplink.error_feedback=ef", "rounds=8");
        var last = simulation.History[^1];
        Assert.True(last.TestAccuracy > 0.7, $"accuracy {last.TestAccuracy}");
        // 1% of logreg's 7850 values: 79 indices (1-2 bytes each) and 79 floats, about 8 bytes a value kept.
        Assert.InRange(last.Extra["compression_ratio_up"], 40, 100);
        Assert.Equal(1, last.Extra["compression_ratio_down"], 6);
    }

    [Fact]
    public void RandomizedCompressionIsTheSameForOneOrTwoThreads()
    {
        string[] settings = ["compression.uplink.name=qsgd", "compression.downlink.name=randk", "compression.downlink.k=0.5"];
        using var one = Run(1, settings);
        using var two = Run(2, settings);
        Assert.Equal(one.Server.Global, two.Server.Global);
        Assert.Equal(one.History.Select(m => m.BytesUp), two.History.Select(m => m.BytesUp));
        Assert.Equal(one.History.Select(m => m.BytesDown), two.History.Select(m => m.BytesDown));
        Assert.True(one.History[^1].Extra["compression_ratio_down"] > 1.2);
    }

    [Fact]
    public void BytesUpAreTheLengthsOfTheEncodedMessages()
    {
        using var simulation = Run(2, "compression.uplink.name=fp16");
        // Each of 5 clients sends a frame of 7850 fp16 values: 1 + 2 + 2 header bytes, 15700 payload bytes.
        Assert.All(simulation.History, m => Assert.Equal(5L * (1 + 2 + 2 + 15_700), m.BytesUp));
        Assert.All(simulation.History, m => Assert.Equal(5L * 4 * 7850, m.BytesDown));
    }

    [Fact]
    public void PowerSgdWithErrorFeedbackLearnsWithItsTwoExchangesCounted()
    {
        using var one = Run(1, "compression.uplink.name=powersgd", "compression.uplink.rank=2", "compression.uplink.error_feedback=ef", "rounds=5");
        using var two = Run(2, "compression.uplink.name=powersgd", "compression.uplink.rank=2", "compression.uplink.error_feedback=ef", "rounds=5");
        Assert.Equal(one.Server.Global, two.Server.Global);
        var last = one.History[^1];
        // Rank 2 of a 10-class weight learns more slowly than dense, but learns.
        Assert.True(last.TestAccuracy > 0.55 && last.TestAccuracy > one.History[0].TestAccuracy, $"accuracy {last.TestAccuracy}");
        // logreg: a 10 × 784 weight and 10 biases, all sent dense float32. Up: P (10·2) and the biases, then Q (784·2);
        // down: the model and Q (784·2), then P̂ (10·2).
        Assert.Equal(5L * 4 * (30 + 1568), last.BytesUp);
        Assert.Equal(5L * 4 * (7850 + 1568 + 20), last.BytesDown);
    }

    [Fact]
    public void PowerSgdRunsWithErrorFeedbackByDefault()
    {
        // Vogels et al. (2019) carry each client's residual M − P̂Qᵢᵀ into its next update; unset, the key follows them.
        string[] power = ["compression.uplink.name=powersgd", "clients_per_round=10", "rounds=3"];
        using var byDefault = Run(2, power);
        using var ef = Run(2, [.. power, "compression.uplink.error_feedback=ef"]);
        using var none = Run(2, [.. power, "compression.uplink.error_feedback=none"]);
        Assert.Equal(ef.Server.Global, byDefault.Server.Global);
        Assert.NotEqual(none.Server.Global, byDefault.Server.Global);
        Assert.True(byDefault.History[^1].TestAccuracy > byDefault.History[0].TestAccuracy, $"accuracy {byDefault.History[^1].TestAccuracy}");
    }

    [Fact]
    public void SignWithMajorityVoteLearns()
    {
        using var simulation = Run(2, "compression.uplink.name=sign", "aggregator.name=majority-vote", "rounds=6");
        Assert.True(simulation.History[^1].TestAccuracy > 0.6, $"accuracy {simulation.History[^1].TestAccuracy}");
        Assert.True(simulation.History[^1].Extra["compression_ratio_up"] > 25);
    }

    [Theory]
    [InlineData("compression.uplink.name=gzip", "compression.uplink.name: 'gzip' is not allowed")]
    [InlineData("compression.uplink.k=0", "compression.uplink.k: '0' is not a number of at least")]
    [InlineData("compression.uplink.bits=17", "compression.uplink.bits: '17' is not an integer in [1, 16]")]
    [InlineData("compression.downlink.error_feedback=ef", "compression.downlink.error_feedback: 'ef' is not allowed")]
    public void BadValuesNameTheKey(string setting, string message)
    {
        var error = Assert.Throws<ConfigException>(() => TestExperiments.Config(setting));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compression.uplink.error_feedback: ef wraps a compressor", "compression.uplink.error_feedback=ef")]
    [InlineData("compression.uplink.k: 2.5 is neither", "compression.uplink.name=topk", "compression.uplink.k=2.5")]
    [InlineData("compression.downlink.name: lazy applies to the uplink only", "compression.downlink.name=lazy")]
    public void MeaninglessCombinationsAreRefused(string message, params string[] settings)
    {
        var error = Assert.Throws<ConfigException>(() => Run(1, settings).Dispose());
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsCarryTheRatioOfOneWithoutCompression()
    {
        using var simulation = Run(1, "rounds=1");
        RoundMetrics last = simulation.History[^1];
        Assert.Equal(1.0, last.Extra["compression_ratio_up"]);
        Assert.Equal(1.0, last.Extra["compression_ratio_down"]);
    }
}
