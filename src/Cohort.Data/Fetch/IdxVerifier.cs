namespace Cohort.Data.Fetch;

/// <summary>Checks IDX files (raw or .gz) against the SHA-256 of their decompressed content in <see cref="KnownHashes"/>.</summary>
internal static class IdxVerifier
{
    /// <summary>The four files of an image data set, without .gz.</summary>
    public static IReadOnlyList<string> Files { get; } = [.. ImageFolder.TrainFiles, .. ImageFolder.TestFiles];

    /// <summary>Throws when the file's content does not hash to the expected value; <paramref name="label"/> names it in the error.</summary>
    public static void Verify(string dataset, string file, string path, string label)
    {
        string expected = KnownHashes.For(dataset, file);
        string actual = ContentHash.Sha256(path);
        if (actual != expected)
        {
            throw new FetchException($"{label}: SHA-256 of the decompressed {file} is {actual}, expected {expected}.");
        }
    }

    /// <summary>Null when the folder holds all four files and each verifies; else what is missing or wrong.</summary>
    public static string? Check(string dataset, string folder)
    {
        foreach (string file in Files)
        {
            string? path = Find(folder, file);
            if (path is null)
            {
                return $"{Path.Combine(folder, file)}(.gz) is missing";
            }
            try
            {
                Verify(dataset, file, path, path);
            }
            catch (FetchException e)
            {
                return e.Message;
            }
        }
        return null;
    }

    /// <summary>The file in the folder, as .gz or raw, or null.</summary>
    public static string? Find(string folder, string file) =>
        new[] { Path.Combine(folder, file + ".gz"), Path.Combine(folder, file) }.FirstOrDefault(File.Exists);
}
