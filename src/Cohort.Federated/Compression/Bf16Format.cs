using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>bfloat16: the top 16 bits of a float, rounded to nearest even; NaN stays NaN.</summary>
internal readonly struct Bf16Format : IFloatFormat
{
    public static CompressorDeclaration Declaration { get; } = new("bf16", "bfloat16, rounded to nearest", _ => new FloatFormatCompressor<Bf16Format>(CompressorIds.Bf16, "bf16"));

    public static int Bits => 16;

    public static uint Encode(float value) => FloatFormats.TruncateRounded(value, 16);

    public static float Decode(uint code) => BitConverter.UInt32BitsToSingle(code << 16);

    // Sixteen values a step, the same rounding as Encode (tests compare the two).
    public static bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        BlockLoop.Run(new EncodeStep(values, MemoryMarshal.Cast<byte, ushort>(codes)[..values.Length]), values.Length);
        return BitConverter.IsLittleEndian;
    }

    public static bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        BlockLoop.Run(new DecodeStep(MemoryMarshal.Cast<byte, ushort>(codes)[..values.Length], values), values.Length);
        return BitConverter.IsLittleEndian;
    }

    // The halves are in the machine's byte order either way; on a big-endian one the caller then takes the portable path.
    private readonly ref struct EncodeStep(ReadOnlySpan<float> values, Span<ushort> halves) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly Span<ushort> _halves = halves;

        public static int Width => 16;

        public void Vector(int i)
        {
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values));
            var low = FloatFormats.TruncateRounded(Vector256.LoadUnsafe(ref v, (nuint)i), 16);
            var high = FloatFormats.TruncateRounded(Vector256.LoadUnsafe(ref v, (nuint)i + 8), 16);
            Vector256.Narrow(low, high).StoreUnsafe(ref MemoryMarshal.GetReference(_halves), (nuint)i);
        }

        public void Scalar(int i) => _halves[i] = (ushort)Encode(_values[i]);
    }

    private readonly ref struct DecodeStep(ReadOnlySpan<ushort> halves, Span<float> values) : IBlockOperator
    {
        private readonly ReadOnlySpan<ushort> _halves = halves;
        private readonly Span<float> _values = values;

        public static int Width => 16;

        public void Vector(int i)
        {
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values));
            var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_halves), (nuint)i));
            (low << 16).StoreUnsafe(ref v, (nuint)i);
            (high << 16).StoreUnsafe(ref v, (nuint)i + 8);
        }

        public void Scalar(int i) => _values[i] = Decode(_halves[i]);
    }
}
