using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>TensorFloat-32: sign, 8 exponent and 10 mantissa bits (19 bits on the wire), rounded to nearest even.</summary>
internal readonly struct Tf32Format : IFloatFormat
{
    public static CompressorDeclaration Declaration { get; } = new("tf32", "TensorFloat-32 (10-bit mantissa), rounded to nearest", _ => new FloatFormatCompressor<Tf32Format>(CompressorIds.Tf32, "tf32"));

    private const int Chunk = 1024;

    public static int Bits => 19;

    public static uint Encode(float value) => FloatFormats.TruncateRounded(value, 13);

    public static float Decode(uint code) => BitConverter.UInt32BitsToSingle(code << 13);

    // Codes rounded eight at a time, then packed; chunks of 1024 codes end on a byte boundary.
    public static bool TryEncodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        Span<uint> chunk = stackalloc uint[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            var rounded = chunk[..part.Length];
            BlockLoop.Run(new RoundStep(part, rounded), part.Length);
            FixedWidthBits.Pack(rounded, Bits, codes[(int)((long)start * Bits / 8)..]);
        }
        return true;
    }

    public static bool TryDecodeAll(ReadOnlySpan<byte> codes, Span<float> values)
    {
        Span<uint> chunk = stackalloc uint[Chunk];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            var read = chunk[..part.Length];
            FixedWidthBits.Unpack(codes[(int)((long)start * Bits / 8)..], Bits, read);
            for (int i = 0; i < part.Length; i++)
            {
                part[i] = Decode(read[i]);
            }
        }
        return true;
    }

    private readonly ref struct RoundStep(ReadOnlySpan<float> values, Span<uint> rounded) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly Span<uint> _rounded = rounded;

        public static int Width => 8;

        public void Vector(int i) =>
            FloatFormats.TruncateRounded(Vector256.LoadUnsafe(ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values)), (nuint)i), 13)
                .StoreUnsafe(ref MemoryMarshal.GetReference(_rounded), (nuint)i);

        public void Scalar(int i) => _rounded[i] = Encode(_values[i]);
    }
}
