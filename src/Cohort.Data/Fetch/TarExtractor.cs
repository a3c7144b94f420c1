using System.Formats.Tar;
using System.IO.Compression;

namespace Cohort.Data.Fetch;

/// <summary>Unpacks the regular files of a tar archive (plain or gzip-compressed) into a folder; links and devices are skipped.</summary>
internal static class TarExtractor
{
    public static void Extract(string archive, string destination)
    {
        using var file = File.OpenRead(archive);
        Extract(file, destination, archive);
    }

    public static void Extract(Stream archive, string destination, string label)
    {
        string root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        try
        {
            using Stream tar = archive.CanSeek && ContentHash.IsGzip(archive)
                ? new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true)
                : archive;
            using var reader = new TarReader(tar, leaveOpen: true);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    continue;
                }
                string target = SafePath.Inside(root, entry.Name, label);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var output = File.Create(target);
                entry.DataStream?.CopyTo(output);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new FetchException($"{label}: corrupt tar archive ({e.Message}).");
        }
    }
}
