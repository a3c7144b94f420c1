namespace Cohort.Data.Fetch;

/// <summary>Finds files by name anywhere under an unpacked source (a package keeps them in its own subfolders).</summary>
internal static class SourceTree
{
    /// <summary>The shallowest file with one of the names (ties broken by path), or null.</summary>
    public static string? Find(string root, params string[] names) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => names.Contains(Path.GetFileName(f), StringComparer.Ordinal))
            .OrderBy(f => f.Count(ch => ch == Path.DirectorySeparatorChar))
            .ThenBy(f => f, StringComparer.Ordinal)
            .FirstOrDefault();
}
