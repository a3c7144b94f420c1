using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Random;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// Natural compression (Horváth et al. 2019): each value rounded to one of the two powers of two around
/// it, up with probability (|x| − 2^e)/2^e, so E = x. On the wire: a sign bit and the 8-bit float
/// exponent, 9 bits a value (exponent 0 is zero). One random number a value; the vector path decides
/// eight values a step from a block of them and matches the scalar one bit for bit (tests).
/// </summary>
internal sealed class NaturalCompression : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("natural", "natural compression (Horváth et al. 2019): stochastic rounding to a power of two, unbiased", _ => new NaturalCompression());

    private const int Width = 9;

    // Chunks of 1024 codes end on a byte boundary.
    private const int Chunk = 1024;

    [ThreadStatic]
    private static uint[]? t_randoms;

    [ThreadStatic]
    private static uint[]? t_codes;

    public byte Id => CompressorIds.Natural;

    public string Name => "natural";

    public bool Unbiased => true;

    /// <summary>ω = 1/8 (Horváth et al. 2019, Theorem 1), whatever the length.</summary>
    public double VarianceBound(int length) => 1.0 / 8;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        var bytes = writer.Reserve(FixedWidthBits.Bytes(values.Length, Width));
        var randoms = Scratch.Of(ref t_randoms, Chunk);
        var codes = Scratch.Of(ref t_codes, Chunk);
        for (int start = 0; start < values.Length; start += Chunk)
        {
            int length = Math.Min(Chunk, values.Length - start);
            random.Fill(randoms[..length]);
            Codes(values.Slice(start, length), randoms, codes);
            FixedWidthBits.Pack(codes[..length], Width, bytes[(start / 8 * Width)..]);
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        var bytes = reader.ReadBytes(FixedWidthBits.Bytes(values.Length, Width));
        var codes = Scratch.Of(ref t_codes, Chunk);
        for (int start = 0; start < values.Length; start += Chunk)
        {
            var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
            FixedWidthBits.Unpack(bytes[(start / 8 * Width)..], Width, codes[..part.Length]);
            Values(codes, part);
        }
    }

    /// <summary>codes[i] = sign | exponent·2, the exponent rounded up where randoms[i]'s top 23 bits fall below the mantissa.</summary>
    internal static void Codes(ReadOnlySpan<float> values, ReadOnlySpan<uint> randoms, Span<uint> codes) =>
        BlockLoop.Run(new CodeStep(values, randoms, codes), values.Length);

    internal static uint Code(float value, uint random)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint exponent = (bits >> 23) & 0xFF, mantissa = bits & 0x7FFFFF;
        // Zero or subnormal: 0 or the smallest normal 2^-126, up with probability |x|/2^-126 = mantissa/2^23; a normal value likewise to the next power.
        if (exponent < 0xFF && random >> 9 < mantissa)
        {
            exponent++;
        }
        return (bits >> 31) | exponent << 1;
    }

    internal static void Values(ReadOnlySpan<uint> codes, Span<float> values) =>
        BlockLoop.Run(new ValueStep(codes, values), values.Length);

    internal static float Value(uint code) => BitConverter.UInt32BitsToSingle((code & 1) << 31 | (code >> 1) << 23);

    private readonly ref struct CodeStep(ReadOnlySpan<float> values, ReadOnlySpan<uint> randoms, Span<uint> codes) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly ReadOnlySpan<uint> _randoms = randoms;
        private readonly Span<uint> _codes = codes;

        public static int Width => 8;

        public void Vector(int i)
        {
            var bits = Vector256.LoadUnsafe(ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values)), (nuint)i);
            var exponent = (bits >> 23) & Vector256.Create(0xFFu);
            var mantissa = (bits & Vector256.Create(0x7FFFFFu)).AsInt32();
            var up = Vector256.LessThan((Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_randoms), (nuint)i) >> 9).AsInt32(), mantissa).AsUInt32();
            // Infinities and NaN keep the top exponent; a rise is 1 where up is all ones.
            exponent -= up & ~Vector256.Equals(exponent, Vector256.Create(0xFFu));
            ((bits >> 31) | (exponent << 1)).StoreUnsafe(ref MemoryMarshal.GetReference(_codes), (nuint)i);
        }

        public void Scalar(int i) => _codes[i] = Code(_values[i], _randoms[i]);
    }

    private readonly ref struct ValueStep(ReadOnlySpan<uint> codes, Span<float> values) : IBlockOperator
    {
        private readonly ReadOnlySpan<uint> _codes = codes;
        private readonly Span<float> _values = values;

        public static int Width => 8;

        public void Vector(int i)
        {
            var code = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_codes), (nuint)i);
            ((code << 31) | (code >> 1 << 23)).StoreUnsafe(ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(_values)), (nuint)i);
        }

        public void Scalar(int i) => _values[i] = Value(_codes[i]);
    }
}
