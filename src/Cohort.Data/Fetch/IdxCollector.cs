using System.IO.Compression;

namespace Cohort.Data.Fetch;

/// <summary>
/// Gathers the four IDX files of an image data set from an unpacked source into a staging folder as
/// .gz, verifying each against its known hash; a Fashion-MNIST JSON package is converted first.
/// </summary>
internal static class IdxCollector
{
    public static void Collect(FetchableDataset dataset, string source, string staging, TextWriter log)
    {
        var found = IdxVerifier.Files.ToDictionary(f => f, f => SourceTree.Find(source, f + ".gz", f));
        if (found.Values.Any(p => p is null) && dataset == FetchableDataset.FashionMnist
            && FashionMnistConverter.FindClassFolder(source) is { } classes)
        {
            log.WriteLine($"{dataset.Name}: converting the JSON of {classes} to IDX");
            FashionMnistConverter.Convert(classes, staging);
            foreach (string file in IdxVerifier.Files)
            {
                IdxVerifier.Verify(dataset.Name, file, Path.Combine(staging, file + ".gz"), $"{file} converted from {classes}");
                log.WriteLine($"{dataset.Name}: {file} verified");
            }
            return;
        }
        var missing = found.Where(p => p.Value is null).Select(p => p.Key).ToList();
        if (missing.Count > 0)
        {
            throw new FetchException($"{source}: {string.Join(", ", missing)} (raw or .gz) not found.");
        }
        foreach (var (file, path) in found)
        {
            IdxVerifier.Verify(dataset.Name, file, path!, path!);
            CopyCompressed(path!, Path.Combine(staging, file + ".gz"));
            log.WriteLine($"{dataset.Name}: {file} verified");
        }
    }

    /// <summary>Copies a .gz file as it is and gzip-compresses a raw one.</summary>
    private static void CopyCompressed(string source, string target)
    {
        using var input = File.OpenRead(source);
        using var output = File.Create(target);
        if (ContentHash.IsGzip(input))
        {
            input.CopyTo(output);
            return;
        }
        using var gzip = new GZipStream(output, CompressionLevel.Optimal);
        input.CopyTo(gzip);
    }
}
