namespace Cohort.Federated.Compression;

/// <summary>The layout of an 8-bit float format.</summary>
internal interface ISmallFloatLayout
{
    static abstract SmallFloat Format { get; }
}

/// <summary>OCP FP8 E4M3 (finite only, max 448, NaN = S.1111.111); finite values beyond the range and infinities saturate to ±448.</summary>
internal readonly struct E4M3 : ISmallFloatLayout
{
    public static CompressorDeclaration Declaration { get; } = new("fp8-e4m3", "OCP FP8 E4M3, one byte a value, saturating at ±448", _ => new FloatFormatCompressor<Fp8Format<E4M3>>(CompressorIds.Fp8E4M3, "fp8-e4m3"));

    public static SmallFloat Format { get; } = new(4, 3, ieeeSpecials: false);
}

/// <summary>OCP FP8 E5M2 (IEEE-like: max 57344, infinities and NaN); finite values beyond the range saturate to ±57344.</summary>
internal readonly struct E5M2 : ISmallFloatLayout
{
    public static CompressorDeclaration Declaration { get; } = new("fp8-e5m2", "OCP FP8 E5M2, one byte a value, saturating at ±57344", _ => new FloatFormatCompressor<Fp8Format<E5M2>>(CompressorIds.Fp8E5M2, "fp8-e5m2"));

    public static SmallFloat Format { get; } = new(5, 2, ieeeSpecials: true);
}

/// <summary>An OCP FP8 format, one byte a value.</summary>
internal readonly struct Fp8Format<TLayout> : IFloatFormat
    where TLayout : ISmallFloatLayout
{
    public static int Bits => 8;

    public static uint Encode(float value) => TLayout.Format.Encode(value);

    public static float Decode(uint code) => TLayout.Format.Decode(code);

    public static bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        TLayout.Format.EncodeAll(values, codes);
        return true;
    }

    public static bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        TLayout.Format.DecodeAll(codes, values);
        return true;
    }
}
