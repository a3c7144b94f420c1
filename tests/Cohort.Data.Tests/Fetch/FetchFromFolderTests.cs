using Cohort.Data.Fetch;

namespace Cohort.Data.Tests.Fetch;

public class FetchFromFolderTests
{
    [Fact]
    public void FetchesMnistFromALocalFolderAndLoadsIt()
    {
        using var temp = new TempFolder();
        string from = temp.Combine("from");
        CopyFolder(SharedData.Mnist, from);
        string destination = temp.Combine("cache", "mnist");
        var log = new StringWriter();

        Assert.True(new DatasetFetcher(log).Fetch(FetchableDataset.Mnist, destination, from));

        Assert.Null(DatasetFetcher.Check(FetchableDataset.Mnist, destination));
        var data = ImageFolder.Load(destination, "mnist");
        Assert.Equal((60_000, 10_000), (data.Train.Count, data.Test.Count));
        Assert.Contains("train-images-idx3-ubyte verified", log.ToString());
        Assert.Equal(["mnist"], Directory.GetFileSystemEntries(temp.Combine("cache")).Select(Path.GetFileName));
    }

    [Fact]
    public void SaysSoWhenTheDataSetIsAlreadyThere()
    {
        using var temp = new TempFolder();
        string destination = temp.Combine("mnist");
        CopyFolder(SharedData.Mnist, destination);

        // A missing source proves nothing is fetched.
        Assert.False(new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, destination, temp.Combine("nowhere")));
    }

    [Fact]
    public void CompressesRawFilesAndKeepsOtherFilesInAnExistingDestination()
    {
        using var temp = new TempFolder();
        string from = temp.Combine("from");
        CopyFolder(SharedData.Mnist, from);
        string raw = Path.Combine(from, "t10k-labels-idx1-ubyte");
        File.WriteAllBytes(raw, Formats.IdxReader.ReadAll(raw + ".gz"));
        File.Delete(raw + ".gz");
        string destination = temp.Combine("mnist");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "notes.txt"), "mine");

        Assert.True(new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, destination, from));

        Assert.True(File.Exists(Path.Combine(destination, "t10k-labels-idx1-ubyte.gz")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(destination, "notes.txt")));
        Assert.Null(DatasetFetcher.Check(FetchableDataset.Mnist, destination));
    }

    internal static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }
}
