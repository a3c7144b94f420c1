using Cohort.Federated.Tests.Outputs;

namespace Cohort.Reporting.Tests;

public class RunFolderReportsTests
{
    [Fact]
    public void ARunWritesEveryFileOfTheLayout()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("runs", "a"), 3, config: "model: cnn\n", open: f => f.OpenWriters());
        folder.WriteReport();
        Assert.Equal("model: cnn\n", File.ReadAllText(temp.Combine("runs", "a", "config.yaml")));
        foreach (string name in new[] { "metrics.jsonl", "metrics.csv", "summary.json", "partition.json", "report.html" })
        {
            Assert.True(File.Exists(temp.Combine("runs", "a", name)), name);
        }
        Assert.Equal(3, File.ReadAllLines(folder.MetricsJsonlPath).Length);
        Assert.Equal(4, File.ReadAllLines(folder.MetricsCsvPath).Length);
        var events = Assert.Single(Directory.GetFiles(temp.Combine("runs", "a", "tensorboard")));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(events), StringComparison.Ordinal);
        Assert.Equal(temp.Combine("runs", "a", "model.safetensors"), folder.ModelPath);
    }

    [Fact]
    public void AWholeRunFolderHasNoTemporaryFiles()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 3, open: f => f.OpenWriters());
        folder.WriteReport();
        Assert.DoesNotContain(Directory.GetFiles(folder.FullPath, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
