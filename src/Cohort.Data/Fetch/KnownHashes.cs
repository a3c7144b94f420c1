namespace Cohort.Data.Fetch;

/// <summary>
/// SHA-256 of the decompressed IDX files, as published in the project's data README
/// (shared/data/README.md, "SHA-256 of the decompressed IDX files"). Hashing the content rather
/// than the .gz file makes them independent of the compressor.
/// </summary>
internal static class KnownHashes
{
    private static readonly Dictionary<string, string> Hashes = new(StringComparer.Ordinal)
    {
        ["mnist/train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["mnist/train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["mnist/t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["mnist/t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ["fashion-mnist/train-images-idx3-ubyte"] = "65a8a5c6cb701a677dcdd1e890124b0a67ff8a15bc1dc40364edf9aae3972870",
        ["fashion-mnist/train-labels-idx1-ubyte"] = "42d8a31792fb59dcec85b8e5b62bd03598c1a96f4edffe6f6a3e95daac9319ef",
        ["fashion-mnist/t10k-images-idx3-ubyte"] = "b2b3f78ad1d8d3d03f85a2d16a02154b4dbc1f9f5894c75cdc65aa227bebb9c1",
        ["fashion-mnist/t10k-labels-idx1-ubyte"] = "2a4fb3eec0877aa3d4ab80d8f59374733af9b2b2966e8be0e50efe715f443a4d",
    };

    /// <summary>The expected hash (lower-case hex) of a data set's file, given without .gz.</summary>
    public static string For(string dataset, string file) =>
        Hashes.TryGetValue($"{dataset}/{file}", out string? hash)
            ? hash
            : throw new ArgumentException($"No known SHA-256 for {dataset}/{file}.");
}
