using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>A code that gives each tensor one scale and each value a symbol of 1, 2, 4 or 8 bits relative to it.</summary>
public interface IScaledSymbol
{
    static abstract int Bits { get; }

    static abstract float Scale(ReadOnlySpan<float> tensor);

    static abstract uint Symbol(float value, float scale, ref RandomStream random);

    /// <summary>The value a symbol stands for; throws on a symbol the code never writes.</summary>
    static abstract float Value(uint symbol, float scale);
}

/// <summary>Per tensor: the scale as float32, then one symbol a value packed at the code's width (padded to a byte).</summary>
public sealed class ScaledSymbols<TSymbol>(byte id, string name, bool unbiased, Segments segments) : ICompressor
    where TSymbol : struct, IScaledSymbol
{
    public byte Id => id;

    public string Name => name;

    public bool Unbiased => unbiased;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        foreach (var (start, length) in segments.Over(values.Length))
        {
            var part = values.Slice(start, length);
            float scale = TSymbol.Scale(part);
            writer.WriteFloat(scale);
            // Symbols of 1, 2, 4 or 8 bits fill whole bytes, least significant first: the bit stream's layout, packed a byte at a time.
            int bits = TSymbol.Bits, perByte = 8 / bits;
            var bytes = writer.Reserve((part.Length * bits + 7) / 8);
            for (int b = 0; b < bytes.Length; b++)
            {
                int first = b * perByte, end = Math.Min(first + perByte, part.Length);
                uint packed = 0;
                for (int i = first; i < end; i++)
                {
                    packed |= TSymbol.Symbol(part[i], scale, ref random) << ((i - first) * bits);
                }
                bytes[b] = (byte)packed;
            }
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        foreach (var (start, length) in segments.Over(values.Length))
        {
            var part = values.Slice(start, length);
            float scale = reader.ReadFloat();
            int bits = TSymbol.Bits, perByte = 8 / bits;
            uint mask = (1u << bits) - 1;
            var bytes = reader.ReadBytes((part.Length * bits + 7) / 8);
            int i = 0;
            foreach (byte packed in bytes)
            {
                uint word = packed;
                for (int j = 0; j < perByte && i < part.Length; j++, i++)
                {
                    part[i] = TSymbol.Value(word & mask, scale);
                    word >>= bits;
                }
            }
        }
    }
}
