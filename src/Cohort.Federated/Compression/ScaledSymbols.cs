using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>A code that gives each tensor one scale and each value a few-bit symbol relative to it.</summary>
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
            foreach (float v in part)
            {
                writer.WriteBits(TSymbol.Symbol(v, scale, ref random), TSymbol.Bits);
            }
            writer.FlushBits();
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        foreach (var (start, length) in segments.Over(values.Length))
        {
            var part = values.Slice(start, length);
            float scale = reader.ReadFloat();
            for (int i = 0; i < part.Length; i++)
            {
                part[i] = TSymbol.Value(reader.ReadBits(TSymbol.Bits), scale);
            }
            reader.DropBits();
        }
    }
}
