namespace Cohort.Data.Fetch;

/// <summary>
/// Unpacks a Debian package: an ar archive whose data.tar member (.xz, .zst, .gz or plain) holds the
/// installed files. .NET has no xz or zstd decoder, so those go through the xz and zstd commands.
/// </summary>
internal static class DebExtractor
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static void Extract(string deb, string destination)
    {
        var member = ArReader.Read(deb).FirstOrDefault(m => m.Name.StartsWith("data.tar", StringComparison.Ordinal));
        if (member.Data is null)
        {
            throw new FetchException($"{deb}: no data.tar member in the package.");
        }
        string scratch = Directory.CreateTempSubdirectory("cohort-deb-").FullName;
        try
        {
            string label = $"{deb} ({member.Name})";
            string compressed = Path.Combine(scratch, member.Name);
            File.WriteAllBytes(compressed, member.Data);
            switch (Path.GetExtension(member.Name))
            {
                case ".xz":
                    Decompress("xz", ["-d", "-k", "-f", compressed], scratch, label);
                    TarExtractor.Extract(Path.Combine(scratch, "data.tar"), destination);
                    break;
                case ".zst":
                    Decompress("zstd", ["-d", "-f", "-q", compressed, "-o", Path.Combine(scratch, "data.tar")], scratch, label);
                    TarExtractor.Extract(Path.Combine(scratch, "data.tar"), destination);
                    break;
                case ".gz":
                case ".tar":
                    using (var stream = new MemoryStream(member.Data))
                    {
                        TarExtractor.Extract(stream, destination, label); // gzip is detected by its magic
                    }
                    break;
                default:
                    throw new FetchException($"{label}: unsupported compression '{Path.GetExtension(member.Name)}'.");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void Decompress(string tool, string[] arguments, string folder, string label)
    {
        string program = ExternalTool.Find(tool)
            ?? throw new FetchException($"{label}: decompressing it needs the '{tool}' command, which is not on PATH.");
        ExternalTool.Run(program, arguments, folder, Timeout);
    }
}
