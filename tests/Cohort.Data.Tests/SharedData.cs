namespace Cohort.Data.Tests;

/// <summary>Locates ../shared/data beside the repository (present on developer machines and in CI).</summary>
public static class SharedData
{
    public static string Root { get; } = Find();

    public static string Mnist => Path.Combine(Root, "mnist");

    public static string FashionMnist => Path.Combine(Root, "fashion-mnist");

    public static string Fortunes => Path.Combine(Root, "fortunes");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cohort.sln")))
        {
            dir = dir.Parent;
        }
        if (dir?.Parent is null)
        {
            throw new InvalidOperationException("Cannot find the repository root (Cohort.sln) above the test binaries.");
        }
        string root = Path.Combine(dir.Parent.FullName, "shared", "data");
        return Directory.Exists(root) ? root : throw new InvalidOperationException($"Shared data folder {root} is missing.");
    }
}
