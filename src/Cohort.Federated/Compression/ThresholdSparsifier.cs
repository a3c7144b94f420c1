using Cohort.Tensors.Random;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>Threshold sparsification: every value with |x| ≥ τ, in <see cref="SparseCode"/>; how many depends on the update.</summary>
internal sealed class ThresholdSparsifier(float threshold) : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("threshold", "threshold sparsification: the values with |x| at least a threshold (biased)", a => new ThresholdSparsifier((float)a.Double("threshold")))
    {
        Keys = [Key.Number("threshold", "0.001", "values with |x| at least this are sent", 0)],
    };

    [ThreadStatic]
    private static int[]? t_indices;

    public byte Id => CompressorIds.Threshold;

    public string Name => "threshold";

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        var indices = Scratch.Of(ref t_indices, values.Length + 8);
        int k = Indices.AtLeast(values, threshold, indices, values.Length);
        SparseCode.Write(writer, indices[..k], values);
    }

    public void Decode(ref MessageReader reader, Span<float> values) => SparseCode.Read(ref reader, values);
}
