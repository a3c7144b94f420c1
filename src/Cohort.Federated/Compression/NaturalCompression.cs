using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Natural compression (Horváth et al. 2019): each value rounded to one of the two powers of two around
/// it, up with probability (|x| − 2^e)/2^e, so E = x. On the wire: a sign bit and the 8-bit float
/// exponent, 9 bits a value (exponent 0 is zero).
/// </summary>
public sealed class NaturalCompression : ICompressor
{
    public byte Id => CompressorIds.Natural;

    public string Name => "natural";

    public bool Unbiased => true;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        foreach (float v in values)
        {
            uint bits = BitConverter.SingleToUInt32Bits(v);
            uint exponent = (bits >> 23) & 0xFF, mantissa = bits & 0x7FFFFF;
            if (exponent == 0)
            {
                // Zero or subnormal: 0 or the smallest normal 2^-126, up with probability |x|/2^-126 = mantissa/2^23.
                exponent = mantissa != 0 && random.NextUInt32() >> 9 < mantissa ? 1u : 0u;
            }
            else if (exponent < 0xFF && mantissa != 0 && random.NextUInt32() >> 9 < mantissa)
            {
                exponent++;
            }
            writer.WriteBits((bits >> 31) | exponent << 1, 9);
        }
        writer.FlushBits();
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            uint code = reader.ReadBits(9);
            values[i] = BitConverter.UInt32BitsToSingle((code & 1) << 31 | (code >> 1) << 23);
        }
        reader.DropBits();
    }
}
