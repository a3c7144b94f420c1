using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Random-k sparsification: k indices drawn uniformly without replacement (Floyd's algorithm), the
/// values sent as they are and scaled by d/k on receipt, so E = x.
/// </summary>
internal sealed class RandK(SparseCount count) : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("randk", "rand-k sparsification: k values drawn at random, scaled by d/k, unbiased", a => new RandK(SparseCount.From(a)))
    {
        Keys = [SparseCount.Key],
    };

    [ThreadStatic]
    private static int[]? t_indices;

    public byte Id => CompressorIds.RandK;

    public string Name => "randk";

    public bool Unbiased => true;

    /// <summary>ω = d/k − 1 (Stich et al. 2018; Mishchenko et al. 2019).</summary>
    public double VarianceBound(int length) => length == 0 ? 0 : (double)length / count.Of(length) - 1;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        int n = values.Length, k = count.Of(n);
        var chosen = new HashSet<int>(k);
        for (int j = n - k; j < n; j++)
        {
            int t = random.NextInt(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }
        var indices = Scratch.Of(ref t_indices, k);
        chosen.CopyTo(t_indices!);
        indices.Sort();
        SparseCode.Write(writer, indices, values);
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        int n = values.Length;
        SparseCode.Read(ref reader, values, k => (float)((double)n / k));
    }
}
