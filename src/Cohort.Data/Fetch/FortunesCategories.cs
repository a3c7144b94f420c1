namespace Cohort.Data.Fetch;

/// <summary>
/// The 40 categories of the Debian package fortunes 1:1.99.1-7.3 (/usr/share/games/fortunes, one
/// file each). No hashes are published for them, so a fetch is checked by their presence.
/// </summary>
internal static class FortunesCategories
{
    public static IReadOnlyList<string> All { get; } =
    [
        "art", "ascii-art", "computers", "cookie", "debian", "definitions", "disclaimer", "drugs",
        "education", "ethnic", "food", "goedel", "humorists", "kids", "knghtbrd", "law", "linux",
        "linuxcookie", "love", "magic", "medicine", "men-women", "miscellaneous", "news", "paradoxum",
        "people", "perl", "pets", "platitudes", "politics", "pratchett", "science", "songs-poems",
        "sports", "startrek", "tao", "translate-me", "wisdom", "work", "zippy",
    ];

    /// <summary>Null when the folder holds a non-empty &lt;category&gt;.txt for every category; else which are missing.</summary>
    public static string? Check(string folder)
    {
        var missing = All.Where(c => !File.Exists(Path.Combine(folder, c + ".txt")) || new FileInfo(Path.Combine(folder, c + ".txt")).Length == 0).ToList();
        return missing.Count == 0
            ? null
            : $"{folder}: {missing.Count} of {All.Count} categories missing or empty ({string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")})";
    }
}
