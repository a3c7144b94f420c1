using System.Formats.Tar;
using System.IO.Compression;
using Cohort.Data.Fetch;

namespace Cohort.Data.Tests.Fetch;

public class FortunesDebTests
{
    [Fact]
    public void FetchesTheCategoriesFromADebWithAGzipDataTar()
    {
        using var temp = new TempFolder();
        var tar = new MemoryStream();
        using (var gzip = new GZipStream(tar, CompressionLevel.Fastest, leaveOpen: true))
        {
            WritePackageTar(gzip);
        }
        string deb = WriteDeb(temp, "data.tar.gz", tar.ToArray());

        AssertFetches(temp, deb);
    }

    [Fact]
    public void FetchesTheCategoriesFromADebWithAnXzDataTarWhenXzIsThere()
    {
        if (ExternalTool.Find("xz") is not { } xz)
        {
            return; // the xz path needs the xz command, as in real use
        }
        using var temp = new TempFolder();
        string tar = temp.Combine("data.tar");
        using (var file = File.Create(tar))
        {
            WritePackageTar(file);
        }
        ExternalTool.Run(xz, ["-z", "-0", tar], temp.Path, TimeSpan.FromMinutes(1));
        string deb = WriteDeb(temp, "data.tar.xz", File.ReadAllBytes(tar + ".xz"));

        AssertFetches(temp, deb);
    }

    [Fact]
    public void ReportsMissingCategories()
    {
        using var temp = new TempFolder();
        string from = temp.Combine("from");
        Directory.CreateDirectory(from);
        File.WriteAllText(Path.Combine(from, "art.txt"), "a\n%\n");

        var error = Assert.Throws<FetchException>(() => new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Fortunes, temp.Combine("fortunes"), from));

        Assert.Contains("39 of 40", error.Message);
        Assert.False(Directory.Exists(temp.Combine("fortunes")));
    }

    private static void AssertFetches(TempFolder temp, string deb)
    {
        string destination = temp.Combine("cache", "fortunes");

        Assert.True(new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Fortunes, destination, deb));

        Assert.Null(DatasetFetcher.Check(FetchableDataset.Fortunes, destination));
        Assert.Equal(FortunesCategories.All.Select(c => c + ".txt").Order(StringComparer.Ordinal),
            Directory.GetFiles(destination).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("A quotation about zippy.\n%\n", File.ReadAllText(Path.Combine(destination, "zippy.txt")));
        Assert.False(new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Fortunes, destination, null));
    }

    /// <summary>A data.tar as in the real package: each category, its .dat index, a .u8 link to it, and documentation.</summary>
    private static void WritePackageTar(Stream stream)
    {
        using var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: true);
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "./usr/share/games/fortunes/"));
        foreach (string category in FortunesCategories.All)
        {
            string path = "./usr/share/games/fortunes/" + category;
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"A quotation about {category}.\n%\n")) });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path + ".dat") { DataStream = new MemoryStream(new byte[24]) });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, path + ".u8") { LinkName = category });
        }
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "./usr/share/doc/fortunes/copyright") { DataStream = new MemoryStream("BSD"u8.ToArray()) });
    }

    private static string WriteDeb(TempFolder temp, string dataMember, byte[] data)
    {
        string deb = temp.Combine("fortunes_1.99.1-7.3_all.deb");
        File.WriteAllBytes(deb, ArArchive.Build([("debian-binary", "2.0\n"u8.ToArray()), ("control.tar.gz", new byte[20]), (dataMember, data)]));
        return deb;
    }
}
