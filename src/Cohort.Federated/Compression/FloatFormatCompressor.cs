using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>Each value rounded to a narrower float format and packed at its width (fp16, bf16, tf32, fp8).</summary>
internal sealed class FloatFormatCompressor<TFormat>(byte id, string name) : ICompressor
    where TFormat : struct, IFloatFormat
{
    // Chunks of codes end on a byte boundary at any width.
    private const int Chunk = 1024;

    public byte Id => id;

    public string Name => name;

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        var bytes = writer.Reserve(FixedWidthBits.Bytes(values.Length, TFormat.Bits));
        if (!TFormat.TryEncodeAll(values, bytes))
        {
            EncodeScalar(values, bytes);
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        var bytes = reader.ReadBytes(FixedWidthBits.Bytes(values.Length, TFormat.Bits));
        if (!TFormat.TryDecodeAll(bytes, values))
        {
            DecodeScalar(bytes, values);
        }
    }

    /// <summary>One code at a time: the reference the formats' bulk conversions are tested against.</summary>
    internal static void EncodeScalar(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        Span<uint> codes = stackalloc uint[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            for (int i = 0; i < part.Length; i++)
            {
                codes[i] = TFormat.Encode(part[i]);
            }
            FixedWidthBits.Pack(codes[..part.Length], TFormat.Bits, bytes[Offset(start)..]);
        }
    }

    internal static void DecodeScalar(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        Span<uint> codes = stackalloc uint[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            FixedWidthBits.Unpack(bytes[Offset(start)..], TFormat.Bits, codes[..part.Length]);
            for (int i = 0; i < part.Length; i++)
            {
                part[i] = TFormat.Decode(codes[i]);
            }
        }
    }

    private static int Offset(int start) => (int)((long)start * TFormat.Bits / 8);
}
