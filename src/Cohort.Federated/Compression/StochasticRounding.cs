using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Random;
using Cohort.Federated.Config;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// Unbiased stochastic rounding to b bits: per bucket the min and max as float32, then each value as
/// one of 2^b evenly spaced levels between them, rounded up with probability equal to its distance
/// past the lower level, packed b bits a value. One random number a value; the vector paths take eight
/// values a step and match the scalar ones bit for bit (tests).
/// </summary>
internal sealed class StochasticRounding(int bits, int bucket) : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("stochastic-rounding", "stochastic rounding to a grid of 2^bits levels per bucket, unbiased", a => new StochasticRounding(a.Int("bits"), a.Int("bucket")))
    {
        Keys = [Key.Integer("bits", "4", "bits a value", 1, 16), Key.Integer("bucket", "512", "values sharing one scale", 1, int.MaxValue)],
    };

    [ThreadStatic]
    private static uint[]? t_randoms;

    [ThreadStatic]
    private static uint[]? t_codes;

    private readonly uint _top = (1u << bits) - 1;

    public byte Id => CompressorIds.StochasticRounding;

    public string Name => "stochastic-rounding";

    public bool Unbiased => true;

    /// <summary>
    /// ω = d/(2^b − 1)², d the bucket's length: a value's variance is at most δ²/4 with δ = (max − min)/(2^b − 1),
    /// and (max − min)² ≤ 4·max|x|² ≤ 4‖x‖².
    /// </summary>
    public double VarianceBound(int length) => (double)Math.Min(bucket, length) / ((double)_top * _top);

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        var randoms = Scratch.Of(ref t_randoms, Math.Min(bucket, values.Length));
        var levels = Scratch.Of(ref t_codes, randoms.Length);
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float low = System.Numerics.Tensors.TensorPrimitives.Min(chunk);
            float high = System.Numerics.Tensors.TensorPrimitives.Max(chunk);
            writer.WriteFloat(low);
            writer.WriteFloat(high);
            float step = (high - low) / _top;
            random.Fill(randoms[..chunk.Length]);
            Levels(chunk, low, step > 0 ? 1f / step : 0f, _top, randoms, levels);
            FixedWidthBits.Pack(levels[..chunk.Length], bits, writer.Reserve(FixedWidthBits.Bytes(chunk.Length, bits)));
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        var levels = Scratch.Of(ref t_codes, Math.Min(bucket, values.Length));
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float low = reader.ReadFloat();
            float high = reader.ReadFloat();
            FixedWidthBits.Unpack(reader.ReadBytes(FixedWidthBits.Bytes(chunk.Length, bits)), bits, levels[..chunk.Length]);
            Values(levels, low, (high - low) / _top, chunk);
        }
    }

    /// <summary>levels[i] = t rounded stochastically (<see cref="Uniform.Round(float, uint)"/>), t = (x − low)·inverse clamped to [0, top], NaN to 0.</summary>
    internal static void Levels(ReadOnlySpan<float> values, float low, float inverse, uint top, ReadOnlySpan<uint> randoms, Span<uint> levels) =>
        BlockLoop.Run(new LevelStep(values, low, inverse, top, randoms, levels), values.Length);

    // At t = top the fraction is 0: the top level never rounds up.
    internal static uint Level(float value, float low, float inverse, uint top, uint random) =>
        Uniform.Round(Math.Clamp((value - low) * inverse, 0f, top), random);

    internal static void Values(ReadOnlySpan<uint> levels, float low, float step, Span<float> values) =>
        BlockLoop.Run(new ValueStep(levels, low, step, values), values.Length);

    private readonly ref struct LevelStep(ReadOnlySpan<float> values, float low, float inverse, uint top, ReadOnlySpan<uint> randoms, Span<uint> levels) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly ReadOnlySpan<uint> _randoms = randoms;
        private readonly Span<uint> _levels = levels;

        public static int Width => 8;

        public void Vector(int i)
        {
            var t = (Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_values), (nuint)i) - Vector256.Create(low)) * Vector256.Create(inverse);
            t = Vector256.Min(Vector256.Max(t & Vector256.Equals(t, t), Vector256<float>.Zero), Vector256.Create((float)top));
            Uniform.Round(t, Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_randoms), (nuint)i)).AsUInt32()
                .StoreUnsafe(ref MemoryMarshal.GetReference(_levels), (nuint)i);
        }

        public void Scalar(int i) => _levels[i] = Level(_values[i], low, inverse, top, _randoms[i]);
    }

    private readonly ref struct ValueStep(ReadOnlySpan<uint> levels, float low, float step, Span<float> values) : IBlockOperator
    {
        private readonly ReadOnlySpan<uint> _levels = levels;
        private readonly Span<float> _values = values;

        public static int Width => 8;

        public void Vector(int i) =>
            (Vector256.Create(low) + Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_levels), (nuint)i).AsInt32()) * Vector256.Create(step))
                .StoreUnsafe(ref MemoryMarshal.GetReference(_values), (nuint)i);

        public void Scalar(int i) => _values[i] = low + _levels[i] * step;
    }
}
