namespace Cohort.Data.Fetch;

/// <summary>Keeps archive entries inside the folder they are unpacked into (no "../" or absolute names).</summary>
internal static class SafePath
{
    public static string Inside(string root, string entryName, string label)
    {
        string relative = entryName.Replace('\\', '/').TrimStart('/');
        string full = Path.GetFullPath(Path.Combine(root, relative));
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new FetchException($"{label}: entry '{entryName}' would be written outside the folder it is unpacked into.");
        }
        return full;
    }
}
