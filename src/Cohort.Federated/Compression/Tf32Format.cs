using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.Federated.Compression;

/// <summary>TensorFloat-32: sign, 8 exponent and 10 mantissa bits (19 bits on the wire), rounded to nearest even.</summary>
public readonly struct Tf32Format : IFloatFormat
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
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(part));
                ref uint c = ref MemoryMarshal.GetReference(rounded);
                for (; i <= part.Length - 8; i += 8)
                {
                    FloatFormats.TruncateRounded(Vector256.LoadUnsafe(ref v, (nuint)i), 13).StoreUnsafe(ref c, (nuint)i);
                }
            }
            for (; i < part.Length; i++)
            {
                rounded[i] = Encode(part[i]);
            }
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
}
