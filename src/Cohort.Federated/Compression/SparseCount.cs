namespace Cohort.Federated.Compression;

/// <summary>How many values a sparsifier keeps: a fraction of them (k ≤ 1) or a count (k &gt; 1), at least one.</summary>
public readonly record struct SparseCount(double K)
{
    public int Of(int length) => length == 0 ? 0
        : K <= 1 ? Math.Clamp((int)Math.Round(K * length), 1, length)
        : Math.Min((int)K, length);
}
