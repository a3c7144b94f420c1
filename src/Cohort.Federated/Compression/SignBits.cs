using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

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
        BlockLoop.Run(new PackStep(values, bytes), values.Length);
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

    private static void Apply(ReadOnlySpan<byte> bytes, Span<float> values, float magnitude, bool fill)
    {
        Check(values.Length, bytes.Length);
        BlockLoop.Run(new FlipStep(bytes, values, magnitude, fill), values.Length);
    }

    private static void Check(int count, int bytes)
    {
        if (bytes < Bytes(count))
        {
            throw new ArgumentException($"{count} sign bits need {Bytes(count)} bytes; {bytes} given.");
        }
    }

    private readonly ref struct PackStep(ReadOnlySpan<float> values, Span<byte> bytes) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly Span<byte> _bytes = bytes;

        public static int Width => 32;

        public void Vector(int i)
        {
            ref float v = ref MemoryMarshal.GetReference(_values);
            uint word = Vector256.LoadUnsafe(ref v, (nuint)i).ExtractMostSignificantBits()
                | Vector256.LoadUnsafe(ref v, (nuint)i + 8).ExtractMostSignificantBits() << 8
                | Vector256.LoadUnsafe(ref v, (nuint)i + 16).ExtractMostSignificantBits() << 16
                | Vector256.LoadUnsafe(ref v, (nuint)i + 24).ExtractMostSignificantBits() << 24;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), i / 8), word);
        }

        // The first value of a byte writes it whole, so the padding bits of the last one are zero.
        public void Scalar(int i)
        {
            uint bit = BitConverter.SingleToUInt32Bits(_values[i]) >> 31 << (i & 7);
            _bytes[i >> 3] = (byte)((i & 7) == 0 ? bit : _bytes[i >> 3] | bit);
        }
    }

    private readonly ref struct FlipStep(ReadOnlySpan<byte> bytes, Span<float> values, float magnitude, bool fill) : IBlockOperator
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private readonly Span<float> _values = values;

        public static int Width => 32;

        public void Vector(int i)
        {
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values));
            var word = Vector256.Create(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), i / 8)));
            var same = Vector256.Create(BitConverter.SingleToUInt32Bits(magnitude));
            var sign = Vector256.Create(0x80000000u);
            // Lane j of part p tests bit p + j of the broadcast word.
            var bit = Vector256.Create(1u, 2, 4, 8, 16, 32, 64, 128);
            for (int part = 0; part < 32; part += 8)
            {
                var flips = Vector256.AndNot(sign, Vector256.Equals(word & bit, Vector256<uint>.Zero));
                var lane = fill ? same : Vector256.LoadUnsafe(ref v, (nuint)(i + part));
                (lane ^ flips).StoreUnsafe(ref v, (nuint)(i + part));
                bit <<= 8;
            }
        }

        public void Scalar(int i)
        {
            uint flip = (uint)(_bytes[i >> 3] >> (i & 7)) & 1;
            float value = fill ? magnitude : _values[i];
            _values[i] = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(value) ^ (flip << 31));
        }
    }
}
