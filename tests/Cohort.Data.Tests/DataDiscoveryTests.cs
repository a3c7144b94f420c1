using Cohort.Data.Fetch;

namespace Cohort.Data.Tests;

/// <summary>How tests find their data: ../shared/data first, else the fetch cache (run by CI with ../shared ignored too).</summary>
public class DataDiscoveryTests
{
    private const string Shared = "/repo-parent/shared/data", Cache = "/cache";

    [Fact]
    public void TheSharedFolderComesFirst()
    {
        var found = SharedData.Resolve("mnist", Shared, Cache, _ => true);
        Assert.Equal((Path.Combine(Shared, "mnist"), false), found);
    }

    [Fact]
    public void WithoutTheSharedFolderTheCacheIsUsedAndFetchedOnlyWhenEmpty()
    {
        Assert.Equal((Path.Combine(Cache, "mnist"), true), SharedData.Resolve("mnist", Shared, Cache, _ => false));
        Assert.Equal((Path.Combine(Cache, "mnist"), false), SharedData.Resolve("mnist", Shared, Cache, f => f.StartsWith(Cache, StringComparison.Ordinal)));
        // Ignored (null): the cache, even where the shared copy exists.
        Assert.Equal((Path.Combine(Cache, "fortunes"), false), SharedData.Resolve("fortunes", null, Cache, _ => true));
    }

    [Fact]
    public void ASharedFolderWithoutThisDataSetFallsBackToTheCache()
    {
        var found = SharedData.Resolve("fashion-mnist", Shared, Cache, f => f.EndsWith("mnist", StringComparison.Ordinal) && !f.EndsWith("fashion-mnist", StringComparison.Ordinal));
        Assert.Equal((Path.Combine(Cache, "fashion-mnist"), true), found);
    }

    [Fact]
    public void TheIgnoreVariableHidesTheSharedFolder()
    {
        Assert.Null(SharedData.SharedRootFor("1", "/work"));
        Assert.Equal(Path.Combine("/work", "shared", "data"), SharedData.SharedRootFor(null, "/work"));
        Assert.Equal(Path.Combine("/work", "shared", "data"), SharedData.SharedRootFor("0", "/work"));
    }

    [Fact]
    public void AnEmptyOrMissingFolderHoldsNothing()
    {
        string folder = Directory.CreateTempSubdirectory("cohort-holds-").FullName;
        try
        {
            Assert.False(SharedData.Holds(Path.Combine(folder, "missing")));
            Assert.False(SharedData.Holds(folder));
            File.WriteAllText(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), "x");
            Assert.True(SharedData.Holds(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The end-to-end check: the data sets load from wherever the resolution order points (CI also runs it with ../shared ignored).</summary>
    [Fact]
    public void EveryDataSetLoadsFromTheResolvedFolder()
    {
        string? shared = SharedData.SharedRoot;
        foreach (var (name, folder) in new[] { ("mnist", SharedData.Mnist), ("fashion-mnist", SharedData.FashionMnist), ("fortunes", SharedData.Fortunes) })
        {
            Assert.Equal(SharedData.Resolve(name, shared, DataCache.Root, SharedData.Holds).Folder, folder);
            if (shared is null)
            {
                Assert.StartsWith(DataCache.Root, folder, StringComparison.Ordinal);
            }
            Assert.Null(DatasetFetcher.Check(FetchableDataset.Find(name), folder));
        }
    }
}
