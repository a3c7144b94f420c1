using System.Buffers.Binary;
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
        if (bits % 8 != 0)
        {
            foreach (float v in values)
            {
                writer.WriteBits(TFormat.Encode(v), bits);
            }
            return;
        }
        // Whole-byte codes: the same little-endian bytes the bit stream would hold, written directly.
        var codes = writer.Reserve(values.Length * bits / 8);
        if (TFormat.TryEncodeAll(values, codes))
        {
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            uint code = TFormat.Encode(values[i]);
            if (bits == 8)
            {
                codes[i] = (byte)code;
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(codes[(2 * i)..], (ushort)code);
            }
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        int bits = TFormat.Bits;
        if (bits % 8 != 0)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = TFormat.Decode(reader.ReadBits(bits));
            }
            reader.DropBits();
            return;
        }
        var codes = reader.ReadBytes(values.Length * bits / 8);
        if (TFormat.TryDecodeAll(codes, values))
        {
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = TFormat.Decode(bits == 8 ? codes[i] : BinaryPrimitives.ReadUInt16LittleEndian(codes[(2 * i)..]));
        }
    }
}
