using Cohort.Data;
using Cohort.Transport.Client;

namespace Cohort.Transport.Tests;

public class ClientDataTests
{
    private static readonly Dictionary<string, string> Mnist = new() { ["dataset.name"] = "mnist", ["seed"] = "4" };

    [Fact]
    public void AFolderWithoutTestFilesHoldsOutItsOwnTestSplit()
    {
        using var temp = SmallMnist.Temp();
        foreach (string file in ImageFolder.TrainFiles)
        {
            File.Copy(Path.Combine(SmallMnist.Root, file), Path.Combine(temp.Path, file));
        }
        var zero = ClientData.Load(temp.Path, Mnist, client: 0);
        Assert.Equal((320, 80), (zero.Train.Count, zero.Test.Count));
        // The same client draws the same split; another client its own.
        Assert.Equal(zero.Test.Labels, ClientData.Load(temp.Path, Mnist, client: 0).Test.Labels);
        Assert.NotEqual(zero.Test.Labels, ClientData.Load(temp.Path, Mnist, client: 1).Test.Labels);
    }

    [Fact]
    public void AGivenTestFolderIsTheTestSplit()
    {
        using var temp = SmallMnist.Temp();
        foreach (string file in ImageFolder.TrainFiles)
        {
            File.Copy(Path.Combine(SmallMnist.Root, file), Path.Combine(temp.Path, file));
        }
        var data = ClientData.Load(temp.Path, Mnist, client: 0, testPath: SmallMnist.Root);
        Assert.Equal((400, 100), (data.Train.Count, data.Test.Count));
        var missing = Assert.Throws<FileNotFoundException>(() => ClientData.Load(temp.Path, Mnist, 0, Path.Combine(temp.Path, "nowhere")));
        Assert.Contains("--test", missing.Message, StringComparison.Ordinal);
    }
}
