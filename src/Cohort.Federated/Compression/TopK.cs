using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Top-k sparsification: the k values of largest magnitude (ties broken by lower index), sent in
/// <see cref="SparseCode"/>. A threshold a little below the k-th magnitude, estimated from an even
/// sample, picks candidates in one vector pass; the exact k-th magnitude is then selected among them.
/// When the candidates are too few or too many it selects over all magnitudes (quickselect) instead.
/// </summary>
internal sealed class TopK(SparseCount count) : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("topk", "top-k sparsification: the k largest magnitudes (biased)", a => new TopK(SparseCount.From(a)))
    {
        Keys = [SparseCount.Key],
    };

    private const int Sample = 1 << 16;

    [ThreadStatic]
    private static float[]? t_magnitudes;

    [ThreadStatic]
    private static int[]? t_indices;

    [ThreadStatic]
    private static int[]? t_candidates;

    public byte Id => CompressorIds.TopK;

    public string Name => "topk";

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        int k = count.Of(values.Length);
        var indices = Scratch.Of(ref t_indices, k);
        Select(values, indices);
        SparseCode.Write(writer, indices, values);
    }

    public void Decode(ref MessageReader reader, Span<float> values) => SparseCode.Read(ref reader, values);

    /// <summary>The ascending indices of the indices.Length largest |x|, ties to the lower index.</summary>
    internal static void Select(ReadOnlySpan<float> values, Span<int> indices)
    {
        int n = values.Length, k = indices.Length;
        if (k == 0)
        {
            return;
        }
        if (n > 4 * Sample && k <= n / 16)
        {
            // Candidates: expected k·(1 + margin) of them; the cap leaves room for a poor estimate.
            float estimate = Estimate(values, k);
            int most = 4 * k + 1024;
            var candidates = Scratch.Of(ref t_candidates, most + 8);
            int found = Indices.AtLeast(values, estimate, candidates, most);
            if (found >= k)
            {
                Take(values, candidates[..found], indices);
                return;
            }
        }
        SelectAll(values, indices);
    }

    /// <summary><see cref="Select"/> with every value a candidate: quickselect over all magnitudes, the reference the fast path is tested against.</summary>
    internal static void SelectAll(ReadOnlySpan<float> values, Span<int> indices)
    {
        Span<int> all = Scratch.Of(ref t_candidates, values.Length);
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = i;
        }
        Take(values, all, indices);
    }

    /// <summary>A magnitude that about k·1.1 + a few standard deviations of the values reach, from every (n / 65536)-th value.</summary>
    private static float Estimate(ReadOnlySpan<float> values, int k)
    {
        var sample = Scratch.Of(ref t_magnitudes, Sample);
        long stride = values.Length / Sample;
        for (int j = 0; j < Sample; j++)
        {
            sample[j] = MathF.Abs(values[(int)(j * stride)]);
        }
        double expected = (double)k / values.Length * Sample;
        int rank = (int)Math.Min(Sample, Math.Ceiling(expected * 1.1 + 4 * Math.Sqrt(expected) + 8));
        return Selection.KthLargest(sample, rank);
    }

    /// <summary>The k largest of the candidates (ascending indices holding every value at or above the k-th magnitude), in index order.</summary>
    private static void Take(ReadOnlySpan<float> values, ReadOnlySpan<int> candidates, Span<int> indices)
    {
        int k = indices.Length;
        var magnitudes = Scratch.Of(ref t_magnitudes, Math.Max(candidates.Length, Sample));
        for (int j = 0; j < candidates.Length; j++)
        {
            magnitudes[j] = MathF.Abs(values[candidates[j]]);
        }
        float threshold = Selection.KthLargest(magnitudes[..candidates.Length], k);
        int above = 0;
        foreach (int i in candidates)
        {
            if (MathF.Abs(values[i]) > threshold)
            {
                above++;
            }
        }
        int ties = k - above, taken = 0;
        foreach (int i in candidates)
        {
            float a = MathF.Abs(values[i]);
            if (a > threshold || (a == threshold && ties-- > 0))
            {
                indices[taken++] = i;
                if (taken == k)
                {
                    break;
                }
            }
        }
    }
}
