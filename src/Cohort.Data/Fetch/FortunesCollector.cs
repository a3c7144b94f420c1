namespace Cohort.Data.Fetch;

/// <summary>
/// Gathers the fortune categories from an unpacked source into a staging folder, one &lt;category&gt;.txt
/// each: the package's files are named by category alone (their .dat and .u8 companions are skipped),
/// a folder made by an earlier fetch names them &lt;category&gt;.txt.
/// </summary>
internal static class FortunesCollector
{
    public static void Collect(string source, string staging, TextWriter log)
    {
        var missing = new List<string>();
        foreach (string category in FortunesCategories.All)
        {
            string? path = SourceTree.Find(source, category + ".txt", category);
            if (path is null)
            {
                missing.Add(category);
                continue;
            }
            File.Copy(path, Path.Combine(staging, category + ".txt"));
        }
        if (missing.Count > 0)
        {
            throw new FetchException($"{source}: {missing.Count} of {FortunesCategories.All.Count} fortune categories not found ({string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", …" : "")}).");
        }
        log.WriteLine($"fortunes: {FortunesCategories.All.Count} categories found");
    }
}
