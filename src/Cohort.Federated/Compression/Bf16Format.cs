using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.Federated.Compression;

/// <summary>bfloat16: the top 16 bits of a float, rounded to nearest even; NaN stays NaN.</summary>
public readonly struct Bf16Format : IFloatFormat
{
    public static CompressorDeclaration Declaration { get; } = new("bf16", "bfloat16, rounded to nearest", _ => new FloatFormatCompressor<Bf16Format>(CompressorIds.Bf16, "bf16"));

    public static int Bits => 16;

    public static uint Encode(float value) => FloatFormats.TruncateRounded(value, 16);

    public static float Decode(uint code) => BitConverter.UInt32BitsToSingle(code << 16);

    // Sixteen values a step, the same rounding as Encode (tests compare the two).
    public static bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        var halves = MemoryMarshal.Cast<byte, ushort>(codes)[..values.Length];
        int i = 0;
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
            ref ushort h = ref MemoryMarshal.GetReference(halves);
            for (; i <= values.Length - 16; i += 16)
            {
                var low = FloatFormats.TruncateRounded(Vector256.LoadUnsafe(ref v, (nuint)i), 16);
                var high = FloatFormats.TruncateRounded(Vector256.LoadUnsafe(ref v, (nuint)i + 8), 16);
                Vector256.Narrow(low, high).StoreUnsafe(ref h, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
        {
            halves[i] = (ushort)Encode(values[i]);
        }
        return BitConverter.IsLittleEndian;
    }

    public static bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        var halves = MemoryMarshal.Cast<byte, ushort>(codes)[..values.Length];
        int i = 0;
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            ref ushort h = ref MemoryMarshal.GetReference(halves);
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
            for (; i <= values.Length - 16; i += 16)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref h, (nuint)i));
                (low << 16).StoreUnsafe(ref v, (nuint)i);
                (high << 16).StoreUnsafe(ref v, (nuint)i + 8);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = Decode(halves[i]);
        }
        return BitConverter.IsLittleEndian;
    }
}
