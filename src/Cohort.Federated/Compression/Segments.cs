namespace Cohort.Federated.Compression;

/// <summary>How a flat vector splits into the model's tensors (their sizes, in layout order), for per-tensor scales.</summary>
public sealed class Segments
{
    private readonly int[] _sizes;

    public Segments(IReadOnlyList<int> sizes)
    {
        if (sizes.Any(s => s <= 0))
        {
            throw new ArgumentException("Segments: every tensor size must be positive.");
        }
        _sizes = [.. sizes];
    }

    /// <summary>One segment per vector: the whole vector shares a scale.</summary>
    public static Segments Whole { get; } = new([]);

    /// <summary>The (start, length) of each segment of a vector of <paramref name="length"/> values; the whole vector when the sizes do not cover it.</summary>
    public IEnumerable<(int Start, int Length)> Over(int length)
    {
        if (_sizes.Length == 0 || _sizes.Sum(s => (long)s) != length)
        {
            yield return (0, length);
            yield break;
        }
        int start = 0;
        foreach (int size in _sizes)
        {
            yield return (start, size);
            start += size;
        }
    }
}
