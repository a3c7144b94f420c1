using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Random;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// TernGrad (Wen et al. 2017): per tensor s = max|x|, each value becomes s·sign(x)·b with
/// b ~ Bernoulli(|x|/s), so E = x; two bits a value (0, +s, −s), one random number a value when s &gt; 0.
/// The vector paths decide 32 values a step from a block of random numbers and match the scalar ones bit for bit (tests).
/// </summary>
internal readonly struct TernarySymbol : IScaledSymbol
{
    public static CompressorDeclaration Declaration { get; } = new("terngrad", "TernGrad (Wen et al. 2017): values in {−1, 0, 1}, scaled per tensor, unbiased", a => new ScaledSymbols<TernarySymbol>(CompressorIds.TernGrad, "terngrad", unbiased: true, a.Segments));

    private const int Step = 32;

    [ThreadStatic]
    private static uint[]? t_randoms;

    public static int Bits => 2;

    public static float Scale(ReadOnlySpan<float> tensor) => MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(tensor));

    public static void Pack(ReadOnlySpan<float> values, float scale, ref RandomStream random, Span<byte> bytes)
    {
        if (!Vector256.IsHardwareAccelerated || !(scale > 0))
        {
            PackScalar(values, scale, ref random, bytes);
            return;
        }
        var randoms = Scratch.Of(ref t_randoms, 1024);
        for (int start = 0; start < values.Length; start += randoms.Length)
        {
            int length = Math.Min(randoms.Length, values.Length - start);
            random.Fill(randoms[..length]);
            // Chunks start at multiples of 1024 values, so each starts on a byte of the output.
            BlockLoop.Run(new PackStep(values.Slice(start, length), scale, randoms, bytes[(start / 4)..]), length);
        }
    }

    public static void PackScalar(ReadOnlySpan<float> values, float scale, ref RandomStream random, Span<byte> bytes)
    {
        bytes[..((values.Length + 3) / 4)].Clear();
        for (int i = 0; i < values.Length; i++)
        {
            uint symbol = scale > 0 ? Symbol(values[i], scale, random.NextUInt32()) : 0u;
            bytes[i >> 2] |= (byte)(symbol << (2 * (i & 3)));
        }
    }

    public static void Unpack(ReadOnlySpan<byte> bytes, float scale, Span<float> values) =>
        BlockLoop.Run(new UnpackStep(bytes, scale, values), values.Length);

    public static void UnpackScalar(ReadOnlySpan<byte> bytes, float scale, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Value(bytes, scale, i);
        }
    }

    private static float Value(ReadOnlySpan<byte> bytes, float scale, int i) => (bytes[i >> 2] >> (2 * (i & 3)) & 3) switch
    {
        0 => 0f,
        1 => scale,
        2 => -scale,
        var s => throw new FormatException($"TernGrad: symbol {s} is not a ternary value."),
    };

    private static uint Symbol(float value, float scale, uint random) =>
        Uniform.Of(random) < MathF.Abs(value) / scale ? (value < 0 ? 2u : 1u) : 0u;

    /// <summary>Bit i of <paramref name="bits"/> to bit 2i.</summary>
    private static ulong Spread(uint bits)
    {
        ulong x = bits;
        x = (x | x << 16) & 0x0000FFFF0000FFFFUL;
        x = (x | x << 8) & 0x00FF00FF00FF00FFUL;
        x = (x | x << 4) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | x << 2) & 0x3333333333333333UL;
        return (x | x << 1) & 0x5555555555555555UL;
    }

    private readonly ref struct PackStep(ReadOnlySpan<float> values, float scale, ReadOnlySpan<uint> randoms, Span<byte> bytes) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly ReadOnlySpan<uint> _randoms = randoms;
        private readonly Span<byte> _bytes = bytes;

        public static int Width => Step;

        public void Vector(int i)
        {
            ref float v = ref MemoryMarshal.GetReference(_values);
            ref uint r = ref MemoryMarshal.GetReference(_randoms);
            var divisor = Vector256.Create(scale);
            uint keep = 0, negative = 0;
            for (int part = 0; part < Step; part += 8)
            {
                var x = Vector256.LoadUnsafe(ref v, (nuint)(i + part));
                var u = Uniform.Of(Vector256.LoadUnsafe(ref r, (nuint)(i + part)));
                keep |= Vector256.LessThan(u, Vector256.Abs(x) / divisor).ExtractMostSignificantBits() << part;
                negative |= Vector256.LessThan(x, Vector256<float>.Zero).ExtractMostSignificantBits() << part;
            }
            // Symbol 1 (+s) in the low bit of each pair, 2 (−s) in the high one.
            ulong pairs = Spread(keep & ~negative) | Spread(keep & negative) << 1;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), i / 4), pairs);
        }

        public void Scalar(int i)
        {
            uint symbol = Symbol(_values[i], scale, _randoms[i]);
            _bytes[i >> 2] = (byte)((i & 3) == 0 ? symbol : _bytes[i >> 2] | symbol << (2 * (i & 3)));
        }
    }

    private readonly ref struct UnpackStep(ReadOnlySpan<byte> bytes, float scale, Span<float> values) : IBlockOperator
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private readonly Span<float> _values = values;

        public static int Width => Step;

        public void Vector(int i)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), i / 4));
            if ((word & word >> 1 & 0x5555555555555555UL) != 0)
            {
                // A symbol 3 in the block: the scalar path names it.
                for (int j = i; j < i + Step; j++)
                {
                    Scalar(j);
                }
                return;
            }
            ref uint v = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values));
            var magnitude = Vector256.Create(BitConverter.SingleToUInt32Bits(scale));
            var sign = Vector256.Create(0x80000000u);
            // Lane j of part p reads the symbol in bits 2j, 2j + 1 of the word shifted down by 2p: 1 is +s, 2 is −s.
            var plus = Vector256.Create(1u, 4, 16, 64, 256, 1024, 4096, 16384);
            var minus = plus << 1;
            for (int part = 0; part < Step; part += 8)
            {
                var symbols = Vector256.Create((uint)(word >> (2 * part)));
                var lane = Vector256.AndNot(magnitude, Vector256.Equals(symbols & (plus | minus), Vector256<uint>.Zero))
                    ^ Vector256.AndNot(sign, Vector256.Equals(symbols & minus, Vector256<uint>.Zero));
                lane.StoreUnsafe(ref v, (nuint)(i + part));
            }
        }

        public void Scalar(int i) => _values[i] = Value(_bytes, scale, i);
    }
}
