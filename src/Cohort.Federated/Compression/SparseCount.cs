using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>How many values a sparsifier keeps: a fraction of them (k ≤ 1) or a count (k &gt; 1), at least one.</summary>
internal readonly record struct SparseCount(double K)
{
    /// <summary>The sparsifiers' key k.</summary>
    public static KeySpec Key { get; } = Config.Key.Number("k", "0.01", "values kept, a fraction (≤ 1) or a count (> 1)", 1e-9);

    public int Of(int length) => length == 0 ? 0
        : K <= 1 ? Math.Clamp((int)Math.Round(K * length), 1, length)
        : Math.Min((int)K, length);

    /// <summary>The count k names under the compressor's prefix.</summary>
    public static SparseCount From(CompressorArgs args)
    {
        double k = args.Double("k");
        if (k > 1 && k != Math.Floor(k))
        {
            throw new ConfigException($"{args.Prefix}k: {k} is neither a fraction in (0, 1] nor a whole count.");
        }
        return new SparseCount(k);
    }
}
