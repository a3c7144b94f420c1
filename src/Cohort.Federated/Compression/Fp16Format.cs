using System.Runtime.InteropServices;

namespace Cohort.Federated.Compression;

/// <summary>IEEE binary16, through System.Half (round to nearest even; overflow to infinity).</summary>
internal readonly struct Fp16Format : IFloatFormat
{
    public static CompressorDeclaration Declaration { get; } = new("fp16", "IEEE half precision, rounded to nearest", _ => new FloatFormatCompressor<Fp16Format>(CompressorIds.Fp16, "fp16"));

    public static int Bits => 16;

    public static uint Encode(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    public static float Decode(uint code) => (float)BitConverter.UInt16BitsToHalf((ushort)code);

    // The vectorized conversions round the same way as the scalar cast (tests compare with System.Half).
    public static bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<byte, Half>(codes));
        return BitConverter.IsLittleEndian;
    }

    public static bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(codes), values);
        return BitConverter.IsLittleEndian;
    }
}
