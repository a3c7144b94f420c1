using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class AtomicFileTests
{
    [Fact]
    public void ReplacesTheFileAndLeavesNoTemporaryFiles()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("summary.json");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["summary.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedWriteLeavesNoTemporaryFileAndTheTargetAsItWas()
    {
        using var temp = new TempFolder();
        // A folder where the file should go makes the final rename fail.
        string path = temp.Combine("report.html");
        Directory.CreateDirectory(path);
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(path, "text"));
        Assert.Empty(Directory.GetFiles(temp.Path));
        Assert.True(Directory.Exists(path));
    }
}
