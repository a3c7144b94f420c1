using Cohort.Data.Fetch;

namespace Cohort.Data.Tests.Fetch;

public class StagingFolderTests
{
    [Fact]
    public void RemovesFoldersOfKilledFetchesAndKeepsThoseOfRunningOnes()
    {
        using var temp = new TempFolder();
        string destination = temp.Combine("mnist");
        // A process id far above any real one stands for a fetch that was killed.
        string abandoned = temp.Combine($".mnist.partial-{int.MaxValue}-0123");
        string unparsable = temp.Combine(".mnist.partial-old");
        string running = temp.Combine($".mnist.partial-{Environment.ProcessId}-4567");
        string other = temp.Combine($".fashion-mnist.partial-{int.MaxValue}-89ab");
        foreach (string folder in new[] { abandoned, unparsable, running, other })
        {
            Directory.CreateDirectory(folder);
        }
        using (var staging = new StagingFolder(destination))
        {
            Assert.True(Directory.Exists(staging.Folder));
            Assert.StartsWith(temp.Combine($".mnist.partial-{Environment.ProcessId}-"), staging.Folder);
        }
        Assert.False(Directory.Exists(abandoned));
        Assert.False(Directory.Exists(unparsable));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(other));
    }
}
