using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Top-k sparsification: the k values of largest magnitude (ties broken by lower index), found by
/// quickselect on the magnitudes, sent in <see cref="SparseCode"/>.
/// </summary>
public sealed class TopK(SparseCount count) : ICompressor
{
    [ThreadStatic]
    private static float[]? t_magnitudes;

    [ThreadStatic]
    private static int[]? t_indices;

    public byte Id => CompressorIds.TopK;

    public string Name => "topk";

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        int n = values.Length, k = count.Of(n);
        var indices = Scratch.Of(ref t_indices, k);
        if (k == 0)
        {
            SparseCode.Write(writer, indices, values);
            return;
        }
        var magnitudes = Scratch.Of(ref t_magnitudes, n);
        System.Numerics.Tensors.TensorPrimitives.Abs(values, magnitudes);
        float threshold = Selection.KthLargest(magnitudes, k);
        int above = 0;
        foreach (float v in values)
        {
            if (MathF.Abs(v) > threshold)
            {
                above++;
            }
        }
        int ties = k - above, taken = 0;
        for (int i = 0; i < n && taken < k; i++)
        {
            float a = MathF.Abs(values[i]);
            if (a > threshold || (a == threshold && ties-- > 0))
            {
                indices[taken++] = i;
            }
        }
        SparseCode.Write(writer, indices, values);
    }

    public void Decode(ref MessageReader reader, Span<float> values) => SparseCode.Read(ref reader, values);
}
