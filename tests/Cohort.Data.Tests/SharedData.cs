using System.Collections.Concurrent;
using Cohort.Data.Fetch;

namespace Cohort.Data.Tests;

/// <summary>
/// Locates the tests' data sets: ../shared/data beside the repository when it holds them (developer
/// machines and CI), else the <c>cohort data fetch</c> cache ($COHORT_DATA, else ~/.cache/cohort/data),
/// fetched there on first need. Setting <see cref="IgnoreSharedVariable"/> to 1 skips ../shared, which
/// proves a fresh clone finds its data alone.
/// </summary>
public static class SharedData
{
    public const string IgnoreSharedVariable = "COHORT_IGNORE_SHARED_DATA";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Located = new();

    public static string Mnist => Folder("mnist");

    public static string FashionMnist => Folder("fashion-mnist");

    public static string Fortunes => Folder("fortunes");

    /// <summary>The folder that holds data set <paramref name="name"/>, fetched into the cache first when no folder holds it.</summary>
    public static string Folder(string name) => Located.GetOrAdd(name, n => new Lazy<string>(() => Locate(n))).Value;

    /// <summary>../shared/data, or null when it is absent or ignored.</summary>
    public static string? SharedRoot => SharedRootFor(Environment.GetEnvironmentVariable(IgnoreSharedVariable), RepositoryParent());

    /// <summary>The shared folder beside the repository, or null when the ignore variable is 1.</summary>
    public static string? SharedRootFor(string? ignoreShared, string repositoryParent) =>
        ignoreShared == "1" ? null : Path.Combine(repositoryParent, "shared", "data");

    /// <summary>
    /// The resolution order: the shared folder's copy when it exists, else the cache's. The second value
    /// is true when the cache's copy must be fetched first.
    /// </summary>
    public static (string Folder, bool Fetch) Resolve(string name, string? sharedRoot, string cacheRoot, Func<string, bool> holds)
    {
        if (sharedRoot is not null && holds(Path.Combine(sharedRoot, name)))
        {
            return (Path.Combine(sharedRoot, name), false);
        }
        string cached = Path.Combine(cacheRoot, name);
        return (cached, !holds(cached));
    }

    /// <summary>A folder holds a data set when it exists with files in it: the cache only ever receives verified, complete folders.</summary>
    public static bool Holds(string folder) => Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any();

    private static string Locate(string name)
    {
        var (folder, fetch) = Resolve(name, SharedRoot, DataCache.Root, Holds);
        if (fetch)
        {
            // Test assemblies run in parallel processes: one fetches, the others wait and find it done.
            using var gate = Gate(Path.Combine(DataCache.Root, $".{name}.lock"));
            if (!Holds(folder))
            {
                new DatasetFetcher(TextWriter.Null).Fetch(FetchableDataset.Find(name), folder, from: null);
            }
        }
        return folder;
    }

    private static FileStream Gate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; Thread.Sleep(200))
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(10))
            {
            }
        }
    }

    private static string RepositoryParent()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cohort.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.Parent?.FullName
            ?? throw new InvalidOperationException("Cannot find the repository root (Cohort.sln) above the test binaries.");
    }
}
