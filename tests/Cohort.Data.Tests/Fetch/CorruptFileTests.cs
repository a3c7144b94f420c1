using Cohort.Data.Fetch;
using Cohort.Data.Formats;

namespace Cohort.Data.Tests.Fetch;

public class CorruptFileTests
{
    [Fact]
    public void RejectsAFlippedByteNamingTheFileAndLeavesNothingBehind()
    {
        using var temp = new TempFolder();
        string from = temp.Combine("from");
        FetchFromFolderTests.CopyFolder(SharedData.Mnist, from);
        string labels = Path.Combine(from, "train-labels-idx1-ubyte");
        byte[] content = IdxReader.ReadAll(labels + ".gz");
        content[100] ^= 1;
        File.WriteAllBytes(labels, content);
        File.Delete(labels + ".gz");
        string destination = temp.Combine("cache", "mnist");

        var error = Assert.Throws<FetchException>(() => new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, destination, from));

        Assert.Contains(labels, error.Message);
        Assert.Contains(KnownHashes.For("mnist", "train-labels-idx1-ubyte"), error.Message);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), error.Message);
        Assert.False(Directory.Exists(destination));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Combine("cache")));
    }

    [Fact]
    public void RejectsCorruptGzipNamingTheFile()
    {
        using var temp = new TempFolder();
        string from = temp.Combine("from");
        FetchFromFolderTests.CopyFolder(SharedData.Mnist, from);
        string images = Path.Combine(from, "t10k-images-idx3-ubyte.gz");
        byte[] bytes = File.ReadAllBytes(images);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(images, bytes);

        var error = Assert.Throws<FetchException>(() => new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, temp.Combine("mnist"), from));

        Assert.Contains(images, error.Message);
        Assert.False(Directory.Exists(temp.Combine("mnist")));
    }

    [Fact]
    public void ReportsMissingFiles()
    {
        using var temp = new TempFolder();
        string from = temp.Combine("from");
        FetchFromFolderTests.CopyFolder(SharedData.Mnist, from);
        File.Delete(Path.Combine(from, "t10k-labels-idx1-ubyte.gz"));

        var error = Assert.Throws<FetchException>(() => new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, temp.Combine("mnist"), from));

        Assert.Contains("t10k-labels-idx1-ubyte", error.Message);
        Assert.Equal(["from"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }
}
