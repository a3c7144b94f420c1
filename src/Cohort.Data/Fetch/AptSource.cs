namespace Cohort.Data.Fetch;

/// <summary>Downloads a Debian package's .deb with <c>apt-get download</c> (no install, no root needed).</summary>
internal static class AptSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static bool Available => ExternalTool.Find("apt-get") is not null;

    /// <summary>The path of the .deb written into <paramref name="folder"/>.</summary>
    public static string Download(string package, string folder)
    {
        string apt = ExternalTool.Find("apt-get") ?? throw new FetchException("apt-get is not on PATH.");
        ExternalTool.Run(apt, ["download", package], folder, Timeout);
        return Directory.GetFiles(folder, "*.deb").SingleOrDefault()
            ?? throw new FetchException($"'apt-get download {package}' succeeded but left no .deb file in {folder}.");
    }
}
