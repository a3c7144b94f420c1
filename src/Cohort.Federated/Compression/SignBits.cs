using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Federated.Compression;

/// <summary>
/// One bit a value, the float's sign bit, packed least significant first (⌈n/8⌉ bytes, the last padded
/// with zeros): the sign code's symbols and natural compression's sign plane. The vector paths move 32
/// values a step and must match the scalar ones bit for bit (tests).
/// </summary>
internal static class SignBits
{
    public static int Bytes(int count) => (count + 7) / 8;

    public static void Pack(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        Check(values.Length, bytes.Length);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float v = ref MemoryMarshal.GetReference(values);
            ref byte b = ref MemoryMarshal.GetReference(bytes);
            for (; i <= values.Length - 32; i += 32)
            {
                uint word = Vector256.LoadUnsafe(ref v, (nuint)i).ExtractMostSignificantBits()
                    | Vector256.LoadUnsafe(ref v, (nuint)i + 8).ExtractMostSignificantBits() << 8
                    | Vector256.LoadUnsafe(ref v, (nuint)i + 16).ExtractMostSignificantBits() << 16
                    | Vector256.LoadUnsafe(ref v, (nuint)i + 24).ExtractMostSignificantBits() << 24;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b, i / 8), word);
            }
        }
        PackScalar(values[i..], bytes[(i / 8)..]);
    }

    public static void PackScalar(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        Check(values.Length, bytes.Length);
        for (int b = 0; b < Bytes(values.Length); b++)
        {
            int first = b * 8, end = Math.Min(first + 8, values.Length);
            uint packed = 0;
            for (int i = first; i < end; i++)
            {
                packed |= BitConverter.SingleToUInt32Bits(values[i]) >> 31 << (i - first);
            }
            bytes[b] = (byte)packed;
        }
    }

    /// <summary>values[i] = <paramref name="magnitude"/> with its sign bit flipped where bit i is set.</summary>
    public static void Unpack(ReadOnlySpan<byte> bytes, float magnitude, Span<float> values) => Apply(bytes, values, magnitude, fill: true);

    /// <summary>Flips the sign bit of values[i] where bit i is set.</summary>
    public static void FlipSigns(ReadOnlySpan<byte> bytes, Span<float> values) => Apply(bytes, values, 0f, fill: false);

    public static void UnpackScalar(ReadOnlySpan<byte> bytes, float magnitude, Span<float> values)
    {
        values.Fill(magnitude);
        FlipSignsScalar(bytes, values);
    }

    public static void FlipSignsScalar(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        Check(values.Length, bytes.Length);
        for (int i = 0; i < values.Length; i++)
        {
            uint bit = (uint)(bytes[i >> 3] >> (i & 7)) & 1;
            values[i] = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(values[i]) ^ (bit << 31));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply(ReadOnlySpan<byte> bytes, Span<float> values, float magnitude, bool fill)
    {
        Check(values.Length, bytes.Length);
        int i = 0;
        if (Avx2.IsSupported)
        {
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
            ref byte b = ref MemoryMarshal.GetReference(bytes);
            var same = Vector256.Create(BitConverter.SingleToUInt32Bits(magnitude));
            var sign = Vector256.Create(0x80000000u);
            // Shifting the broadcast word left by 31 − bit puts each value's bit at the top of its lane.
            var shift0 = Vector256.Create(31u, 30, 29, 28, 27, 26, 25, 24);
            var eight = Vector256.Create(8u);
            for (; i <= values.Length - 32; i += 32)
            {
                var word = Vector256.Create(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, i / 8)));
                var shift = shift0;
                for (int part = 0; part < 32; part += 8)
                {
                    var flips = Avx2.ShiftLeftLogicalVariable(word, shift) & sign;
                    var lane = fill ? same : Vector256.LoadUnsafe(ref v, (nuint)(i + part));
                    (lane ^ flips).StoreUnsafe(ref v, (nuint)(i + part));
                    shift -= eight;
                }
            }
        }
        if (fill)
        {
            values[i..].Fill(magnitude);
        }
        FlipSignsScalar(bytes[(i / 8)..], values[i..]);
    }

    private static void Check(int count, int bytes)
    {
        if (bytes < Bytes(count))
        {
            throw new ArgumentException($"{count} sign bits need {Bytes(count)} bytes; {bytes} given.");
        }
    }
}
