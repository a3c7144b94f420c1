using System.Runtime.InteropServices;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>Lossless: every value as a little-endian float32.</summary>
internal sealed class DenseFloat32 : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("none", "no compression: the update goes as dense float32", _ => null);

    public byte Id => CompressorIds.Dense;

    public string Name => "dense";

    public bool Unbiased => true;

    public double VarianceBound(int length) => 0;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer) =>
        MemoryMarshal.AsBytes(values).CopyTo(writer.Reserve(values.Length * 4));

    public void Decode(ref MessageReader reader, Span<float> values) =>
        reader.ReadBytes(values.Length * 4).CopyTo(MemoryMarshal.AsBytes(values));
}
