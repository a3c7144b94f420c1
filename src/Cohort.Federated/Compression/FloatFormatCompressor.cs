using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>Each value rounded to a narrower float format and packed at its width (fp16, bf16, tf32, fp8).</summary>
public sealed class FloatFormatCompressor<TFormat>(byte id, string name) : ICompressor
    where TFormat : struct, IFloatFormat
{
    public byte Id => id;

    public string Name => name;

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        int bits = TFormat.Bits;
        foreach (float v in values)
        {
            writer.WriteBits(TFormat.Encode(v), bits);
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        int bits = TFormat.Bits;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = TFormat.Decode(reader.ReadBits(bits));
        }
    }
}
