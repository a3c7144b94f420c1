namespace Cohort.Federated.Compression;

/// <summary>A number format a float is rounded to and stored in: its width on the wire and its conversions.</summary>
public interface IFloatFormat
{
    static abstract int Bits { get; }

    static abstract uint Encode(float value);

    static abstract float Decode(uint code);

    /// <summary>Encodes every value at once into whole-byte codes (little-endian); false where the format has no faster path than one code at a time.</summary>
    static virtual bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes) => false;

    static virtual bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values) => false;
}

/// <summary>IEEE binary16, through System.Half (round to nearest even; overflow to infinity).</summary>
public readonly struct Fp16Format : IFloatFormat
{
    public static int Bits => 16;

    public static uint Encode(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    public static float Decode(uint code) => (float)BitConverter.UInt16BitsToHalf((ushort)code);

    // The vectorized conversions round the same way as the scalar cast (tests compare with System.Half).
    public static bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(values, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(codes));
        return BitConverter.IsLittleEndian;
    }

    public static bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(codes), values);
        return BitConverter.IsLittleEndian;
    }
}

/// <summary>bfloat16: the top 16 bits of a float, rounded to nearest even; NaN stays NaN.</summary>
public readonly struct Bf16Format : IFloatFormat
{
    public static int Bits => 16;

    public static uint Encode(float value) => FloatFormats.TruncateRounded(value, 16);

    public static float Decode(uint code) => BitConverter.UInt32BitsToSingle(code << 16);
}

/// <summary>TensorFloat-32: sign, 8 exponent and 10 mantissa bits (19 bits on the wire), rounded to nearest even.</summary>
public readonly struct Tf32Format : IFloatFormat
{
    public static int Bits => 19;

    public static uint Encode(float value) => FloatFormats.TruncateRounded(value, 13);

    public static float Decode(uint code) => BitConverter.UInt32BitsToSingle(code << 13);
}

/// <summary>OCP FP8 E4M3 (finite only, max 448, NaN = S.1111.111); finite values beyond the range and infinities saturate to ±448.</summary>
public readonly struct Fp8E4M3Format : IFloatFormat
{
    private static readonly SmallFloat Format = new(4, 3, ieeeSpecials: false);

    public static int Bits => 8;

    public static uint Encode(float value) => Format.Encode(value);

    public static float Decode(uint code) => Format.Decode(code);
}

/// <summary>OCP FP8 E5M2 (IEEE-like: max 57344, infinities and NaN); finite values beyond the range saturate to ±57344.</summary>
public readonly struct Fp8E5M2Format : IFloatFormat
{
    private static readonly SmallFloat Format = new(5, 2, ieeeSpecials: true);

    public static int Bits => 8;

    public static uint Encode(float value) => Format.Encode(value);

    public static float Decode(uint code) => Format.Decode(code);
}

/// <summary>Conversions shared by the formats.</summary>
public static class FloatFormats
{
    /// <summary>A float's bits without the low <paramref name="dropped"/> ones, rounded to nearest even; NaN keeps a quiet bit.</summary>
    public static uint TruncateRounded(float value, int dropped)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (bits >> dropped) | (1u << (22 - dropped));
        }
        // Adding half a unit minus one, plus the kept lowest bit, rounds ties to even; a carry rounds up into the exponent (to infinity at the top).
        bits += (1u << (dropped - 1)) - 1 + ((bits >> dropped) & 1);
        return bits >> dropped;
    }
}
