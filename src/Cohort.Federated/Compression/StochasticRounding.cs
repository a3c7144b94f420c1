using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Random;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>
/// Unbiased stochastic rounding to b bits: per bucket the min and max as float32, then each value as
/// one of 2^b evenly spaced levels between them, rounded up with probability equal to its distance
/// past the lower level, packed b bits a value. One random number a value; the vector paths take eight
/// values a step and match the scalar ones bit for bit (tests).
/// </summary>
public sealed class StochasticRounding(int bits, int bucket) : ICompressor
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
    internal static void Levels(ReadOnlySpan<float> values, float low, float inverse, uint top, ReadOnlySpan<uint> randoms, Span<uint> levels)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float v = ref MemoryMarshal.GetReference(values);
            ref uint r = ref MemoryMarshal.GetReference(randoms);
            ref uint l = ref MemoryMarshal.GetReference(levels);
            var lowest = Vector256.Create(low);
            var by = Vector256.Create(inverse);
            var highest = Vector256.Create((float)top);
            for (; i <= values.Length - 8; i += 8)
            {
                var t = (Vector256.LoadUnsafe(ref v, (nuint)i) - lowest) * by;
                t = Vector256.Min(Vector256.Max(t & Vector256.Equals(t, t), Vector256<float>.Zero), highest);
                Uniform.Round(t, Vector256.LoadUnsafe(ref r, (nuint)i)).AsUInt32().StoreUnsafe(ref l, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
        {
            levels[i] = Level(values[i], low, inverse, top, randoms[i]);
        }
    }

    // At t = top the fraction is 0: the top level never rounds up.
    internal static uint Level(float value, float low, float inverse, uint top, uint random) =>
        Uniform.Round(Math.Clamp((value - low) * inverse, 0f, top), random);

    internal static void Values(ReadOnlySpan<uint> levels, float low, float step, Span<float> values)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref uint l = ref MemoryMarshal.GetReference(levels);
            ref float v = ref MemoryMarshal.GetReference(values);
            var lowest = Vector256.Create(low);
            var by = Vector256.Create(step);
            for (; i <= values.Length - 8; i += 8)
            {
                (lowest + Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref l, (nuint)i).AsInt32()) * by).StoreUnsafe(ref v, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = low + levels[i] * step;
        }
    }
}
