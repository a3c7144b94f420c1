using System.IO.Compression;

namespace Cohort.Data.Fetch;

/// <summary>Unpacks a .tar.gz, .tgz, .tar, .zip or .deb file into a folder, chosen by the file's name.</summary>
internal static class ArchiveExtractor
{
    private static readonly string[] Extensions = [".tar.gz", ".tgz", ".tar", ".zip", ".deb"];

    public static bool IsArchive(string path) =>
        Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static void Extract(string archive, string destination)
    {
        if (archive.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                ZipFile.ExtractToDirectory(archive, destination, overwriteFiles: true);
            }
            catch (InvalidDataException e)
            {
                throw new FetchException($"{archive}: corrupt zip archive ({e.Message}).");
            }
        }
        else if (archive.EndsWith(".deb", StringComparison.OrdinalIgnoreCase))
        {
            DebExtractor.Extract(archive, destination);
        }
        else if (IsArchive(archive))
        {
            TarExtractor.Extract(archive, destination);
        }
        else
        {
            throw new FetchException($"{archive}: not a folder nor a .tar.gz, .tgz, .tar, .zip or .deb archive.");
        }
    }
}
