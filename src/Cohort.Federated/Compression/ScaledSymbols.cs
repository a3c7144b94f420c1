using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>A code that gives each tensor one scale and each value a symbol of 1, 2, 4 or 8 bits relative to it.</summary>
internal interface IScaledSymbol
{
    static abstract int Bits { get; }

    static abstract float Scale(ReadOnlySpan<float> tensor);

    /// <summary>Writes one symbol a value at <see cref="Bits"/> bits, least significant first; the last byte is padded with zeros.</summary>
    static abstract void Pack(ReadOnlySpan<float> values, float scale, ref RandomStream random, Span<byte> bytes);

    /// <summary>The values the symbols stand for; throws on a symbol the code never writes.</summary>
    static abstract void Unpack(ReadOnlySpan<byte> bytes, float scale, Span<float> values);
}

/// <summary>Per tensor: the scale as float32, then one symbol a value packed at the code's width (padded to a byte).</summary>
internal sealed class ScaledSymbols<TSymbol>(byte id, string name, bool unbiased, Segments segments) : ICompressor
    where TSymbol : struct, IScaledSymbol
{
    public byte Id => id;

    public string Name => name;

    public bool Unbiased => unbiased;

    /// <summary>
    /// TernGrad: a value's variance is s|xᵢ| − xᵢ² with s = max|x| ≤ ‖x‖₂, so a tensor of d values has at most
    /// (√d − 1)‖x‖² (‖x‖₁ ≤ √d‖x‖₂); ω is that of the largest tensor. Sign has none (biased).
    /// </summary>
    public double VarianceBound(int length) =>
        !unbiased ? double.NaN : length == 0 ? 0 : Math.Sqrt(segments.Over(length).Max(s => s.Length)) - 1;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        foreach (var (start, length) in segments.Over(values.Length))
        {
            var part = values.Slice(start, length);
            float scale = TSymbol.Scale(part);
            writer.WriteFloat(scale);
            TSymbol.Pack(part, scale, ref random, writer.Reserve(Bytes(length)));
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        foreach (var (start, length) in segments.Over(values.Length))
        {
            float scale = reader.ReadFloat();
            TSymbol.Unpack(reader.ReadBytes(Bytes(length)), scale, values.Slice(start, length));
        }
    }

    private static int Bytes(int length) => (int)(((long)length * TSymbol.Bits + 7) / 8);
}
