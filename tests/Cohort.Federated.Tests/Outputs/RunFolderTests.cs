using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class RunFolderTests
{
    [Fact]
    public void ARunWritesEveryFileOfTheLayout()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("runs", "a"), 3, config: "model: cnn\n");
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
    public void BaselinesAreRunFoldersUnderBaselines()
    {
        using var temp = new TempFolder();
        var folder = RunFolder.Create(temp.Combine("run"));
        Assert.Empty(folder.ExistingBaselines());
        var local = folder.CreateBaseline("local");
        Assert.Equal(temp.Combine("run", "baselines", "local"), local.FullPath);
        Assert.True(Directory.Exists(local.FullPath));
        Assert.Equal(["local"], folder.ExistingBaselines().Select(b => b.Mode));
        Assert.Equal(temp.Combine("run", "baselines", "centralized"), folder.BaselinePath("centralized"));
        Assert.Throws<ArgumentException>(() => folder.BaselinePath("federated"));
    }

    [Fact]
    public void OpeningAMissingFolderIsAnErrorNamingIt()
    {
        using var temp = new TempFolder();
        string missing = temp.Combine("nope");
        var e = Assert.Throws<RunFileException>(() => RunFolder.Open(missing));
        Assert.Equal($"run folder {missing} does not exist.", e.Message);
        Assert.False(Directory.Exists(missing));
    }
}
