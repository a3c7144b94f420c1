using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Random;
using Cohort.Federated.Config;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// QSGD (Alistarh et al. 2017): per bucket, ‖v‖_p·sign(vᵢ)·ξᵢ/s with ξᵢ ∈ {ℓ, ℓ+1} drawn so that E[ξᵢ] = s·|vᵢ|/‖v‖_p
/// (unbiased for any p, as ‖v‖_p ≥ |vᵢ|). On the wire: the norm as float32, then for each value the
/// Elias gamma code of ξᵢ + 1 and, when ξᵢ &gt; 0, a sign bit. One random number a value: the levels are
/// decided eight at a time from a block of them, then written by <see cref="GammaLevels"/>; the scalar
/// code beside it is the reference (tests).
/// </summary>
internal sealed class Qsgd(int levels, int bucket, double p) : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("qsgd", "QSGD (Alistarh et al. 2017): stochastic quantization to s levels of the bucket norm, unbiased", a => new Qsgd(a.Int("s"), a.Int("bucket"), a.Double("p")))
    {
        Keys = [Key.Integer("s", "16", "quantization levels s", 1, 1 << 20), Key.Number("p", "2", "the norm ‖v‖_p the levels scale", 1, 1e6), Key.Integer("bucket", "512", "values sharing one scale", 1, int.MaxValue)],
    };

    [ThreadStatic]
    private static uint[]? t_randoms;

    [ThreadStatic]
    private static uint[]? t_levels;

    private readonly GammaLevels _gamma = new(levels);

    public byte Id => CompressorIds.Qsgd;

    public string Name => "qsgd";

    public bool Unbiased => true;

    /// <summary>
    /// ω = min(d/s², √d/s) (Alistarh et al. 2017, Lemma 3.1), d the bucket's length, as each bucket is quantized
    /// alone. With p &lt; 2 the level spacing ‖v‖_p/s is at most d^(1/p − 1/2)·‖v‖₂/s, which scales the bound by that factor.
    /// </summary>
    public double VarianceBound(int length)
    {
        int d = Math.Min(bucket, length);
        double c = p >= 2 ? 1 : Math.Pow(d, 1 / p - 0.5);
        return Math.Min(d * c * c / ((double)levels * levels), Math.Sqrt(d) * c / levels);
    }

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        var randoms = Scratch.Of(ref t_randoms, Math.Min(bucket, values.Length));
        var symbols = Scratch.Of(ref t_levels, randoms.Length);
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float norm = Norm(chunk);
            writer.WriteFloat(norm);
            random.Fill(randoms[..chunk.Length]);
            Levels(chunk, norm > 0 ? levels / norm : 0f, levels, randoms, symbols);
            writer.Advance(_gamma.Write(symbols[..chunk.Length], writer.Free(_gamma.MostBytes(chunk.Length))));
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float norm = reader.ReadFloat();
            reader.ReadBytes(_gamma.Read(reader.Unread(), norm / levels, chunk));
        }
    }

    /// <summary>
    /// symbols[i] = the <see cref="GammaLevels.Symbol"/> of ξᵢ and vᵢ's sign bit: r = min(|vᵢ|·perUnit, s) (NaN as 0), ξᵢ = ⌊r⌋,
    /// plus one where the draw falls below r − ⌊r⌋.
    /// </summary>
    internal static void Levels(ReadOnlySpan<float> values, float perUnit, int top, ReadOnlySpan<uint> randoms, Span<uint> symbols) =>
        BlockLoop.Run(new SymbolStep(values, perUnit, top, randoms, symbols), values.Length);

    private static uint Level(float value, float perUnit, int top, uint random) => Uniform.Round(Math.Min(MathF.Abs(value) * perUnit, top), random);

    /// <summary>One value and one bit at a time through the message's bit stream: the reference <see cref="Encode"/> is tested against.</summary>
    internal void EncodeScalar(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float norm = Norm(chunk);
            writer.WriteFloat(norm);
            float perUnit = norm > 0 ? levels / norm : 0f;
            foreach (float v in chunk)
            {
                uint level = Level(v, perUnit, levels, random.NextUInt32());
                writer.WriteEliasGamma(level + 1);
                if (level > 0)
                {
                    writer.WriteBits(BitConverter.SingleToUInt32Bits(v) >> 31, 1);
                }
            }
        }
        writer.FlushBits();
    }

    internal void DecodeScalar(ref MessageReader reader, Span<float> values)
    {
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            // The norm starts at a byte boundary: the encoder's float write flushed the bit stream.
            float norm = reader.ReadFloat();
            float unit = norm / levels;
            for (int i = 0; i < chunk.Length; i++)
            {
                uint level = reader.ReadEliasGamma() - 1;
                if (level > (uint)levels)
                {
                    throw new FormatException($"QSGD: level {level} above s = {levels}.");
                }
                chunk[i] = level == 0 ? 0f : (reader.ReadBits(1) == 0 ? level * unit : -(level * unit));
            }
        }
        reader.DropBits();
    }

    private float Norm(ReadOnlySpan<float> chunk)
    {
        if (p == 2)
        {
            return System.Numerics.Tensors.TensorPrimitives.Norm(chunk);
        }
        double sum = 0;
        foreach (float v in chunk)
        {
            sum += Math.Pow(Math.Abs(v), p);
        }
        // Rounded up so that the float norm is never below max|v| (the levels must stay within s).
        float norm = (float)Math.Pow(sum, 1 / p);
        float max = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(chunk));
        return Math.Max(norm, max);
    }

    private readonly ref struct SymbolStep(ReadOnlySpan<float> values, float perUnit, int top, ReadOnlySpan<uint> randoms, Span<uint> symbols) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly ReadOnlySpan<uint> _randoms = randoms;
        private readonly Span<uint> _symbols = symbols;

        public static int Width => 8;

        public void Vector(int i)
        {
            var x = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_values), (nuint)i);
            var scaled = Vector256.Abs(x) * Vector256.Create(perUnit);
            scaled = Vector256.Min(scaled & Vector256.Equals(scaled, scaled), Vector256.Create((float)top));
            var level = Uniform.Round(scaled, Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_randoms), (nuint)i)).AsUInt32();
            (level << 1 | x.AsUInt32() >> 31).StoreUnsafe(ref MemoryMarshal.GetReference(_symbols), (nuint)i);
        }

        public void Scalar(int i) =>
            _symbols[i] = GammaLevels.Symbol(Level(_values[i], perUnit, top, _randoms[i]), BitConverter.SingleToUInt32Bits(_values[i]) >> 31);
    }
}
