using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class RunFolderTests
{
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
