using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.State;

namespace Cohort.Federated.Tests.Compression;

public class ExampleFileTests
{
    public static TheoryData<string> Files() =>
        ["compress-topk-ef.yaml", "compress-powersgd.yaml", "compress-qsgd.yaml", "compress-int8-fp8.yaml", "signsgd-majority.yaml", "diana-randk.yaml", "marina-randk.yaml"];

    [Theory]
    [MemberData(nameof(Files))]
    public void CompressionExamplesAreValidExperiments(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cohort.sln")))
        {
            dir = dir.Parent;
        }
        var config = ExperimentConfig.FromFile(Path.Combine(dir!.FullName, "examples", file));
        var experiment = Experiment.From(config);
        var algorithm = AlgorithmFactory.Create(config);
        using var states = new SpillingStateStore(1 << 20);
        var uplink = CompressionSetup.Uplink(config, Segments.Whole, states);
        CompressionSetup.Downlink(config, Segments.Whole);
        // Either a stage compresses the uplink or the method does it itself.
        bool powerSgd = config.Get("compression.uplink.name") == "powersgd";
        Assert.True(uplink.Stages.Count == 1 || algorithm is Diana or Marina || powerSgd, $"{file}: nothing compresses the uplink");
        Assert.Equal(config.Get("algorithm.name"), experiment.Algorithm);
    }
}
