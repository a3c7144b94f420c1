using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Random;
using Cohort.Federated.Config;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// Per block of values: a float32 scale max|x|/127, then each value rounded to the nearest of −127…127
/// (ties to even) in one byte; a NaN rounds to 0. The vector paths move 32 values a step and match the
/// scalar ones bit for bit (tests).
/// </summary>
internal sealed class Int8Blocks(int block) : ICompressor
{
    public static CompressorDeclaration Declaration { get; } = new("int8", "8-bit integers with one float scale per bucket", a => new Int8Blocks(a.Int("bucket")))
    {
        Keys = [Key.Integer("bucket", "512", "values sharing one scale", 1, int.MaxValue)],
    };

    public byte Id => CompressorIds.Int8;

    public string Name => "int8";

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        for (int start = 0; start < values.Length; start += block)
        {
            var chunk = values.Slice(start, Math.Min(block, values.Length - start));
            // MaxMagnitude returns the extreme with its sign: the scale is its magnitude.
            float scale = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(chunk)) / 127f;
            writer.WriteFloat(scale);
            Quantize(chunk, scale > 0 ? 1f / scale : 0f, MemoryMarshal.Cast<byte, sbyte>(writer.Reserve(chunk.Length)));
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        for (int start = 0; start < values.Length; start += block)
        {
            var chunk = values.Slice(start, Math.Min(block, values.Length - start));
            float scale = reader.ReadFloat();
            Dequantize(MemoryMarshal.Cast<byte, sbyte>(reader.ReadBytes(chunk.Length)), scale, chunk);
        }
    }

    /// <summary>bytes[i] = x·inverse rounded to nearest even and clamped to ±127; NaN to 0.</summary>
    internal static void Quantize(ReadOnlySpan<float> values, float inverse, Span<sbyte> bytes) =>
        BlockLoop.Run(new QuantizeStep(values, inverse, bytes[..values.Length]), values.Length);

    internal static void QuantizeScalar(ReadOnlySpan<float> values, float inverse, Span<sbyte> bytes)
    {
        for (int i = 0; i < values.Length; i++)
        {
            bytes[i] = Quantized(values[i], inverse);
        }
    }

    private static sbyte Quantized(float value, float inverse)
    {
        float level = Math.Clamp(MathF.Round(value * inverse), -127f, 127f);
        return float.IsNaN(level) ? (sbyte)0 : (sbyte)level;
    }

    internal static void Dequantize(ReadOnlySpan<sbyte> bytes, float scale, Span<float> values) =>
        BlockLoop.Run(new DequantizeStep(bytes, scale, values), values.Length);

    internal static void DequantizeScalar(ReadOnlySpan<sbyte> bytes, float scale, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = bytes[i] * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Level(Vector256<float> x, Vector256<float> inverse)
    {
        var scaled = x * inverse;
        // NaN to 0 first: the clamp and the conversion below would not keep it.
        scaled &= Vector256.Equals(scaled, scaled);
        var level = Vector256.Min(Vector256.Max(Vector256.Round(scaled), Vector256.Create(-127f)), Vector256.Create(127f));
        return Vector256.ConvertToInt32(level);
    }

    private readonly ref struct QuantizeStep(ReadOnlySpan<float> values, float inverse, Span<sbyte> bytes) : IBlockOperator
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly Span<sbyte> _bytes = bytes;

        public static int Width => 32;

        public void Vector(int i)
        {
            ref float v = ref MemoryMarshal.GetReference(_values);
            var by = Vector256.Create(inverse);
            var low = Vector256.Narrow(Level(Vector256.LoadUnsafe(ref v, (nuint)i), by), Level(Vector256.LoadUnsafe(ref v, (nuint)i + 8), by));
            var high = Vector256.Narrow(Level(Vector256.LoadUnsafe(ref v, (nuint)i + 16), by), Level(Vector256.LoadUnsafe(ref v, (nuint)i + 24), by));
            Vector256.Narrow(low, high).StoreUnsafe(ref MemoryMarshal.GetReference(_bytes), (nuint)i);
        }

        public void Scalar(int i) => _bytes[i] = Quantized(_values[i], inverse);
    }

    private readonly ref struct DequantizeStep(ReadOnlySpan<sbyte> bytes, float scale, Span<float> values) : IBlockOperator
    {
        private readonly ReadOnlySpan<sbyte> _bytes = bytes;
        private readonly Span<float> _values = values;

        public static int Width => 32;

        public void Vector(int i)
        {
            ref float v = ref MemoryMarshal.GetReference(_values);
            var by = Vector256.Create(scale);
            var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_bytes), (nuint)i));
            var (a, c) = Vector256.Widen(low);
            var (d, e) = Vector256.Widen(high);
            (Vector256.ConvertToSingle(a) * by).StoreUnsafe(ref v, (nuint)i);
            (Vector256.ConvertToSingle(c) * by).StoreUnsafe(ref v, (nuint)i + 8);
            (Vector256.ConvertToSingle(d) * by).StoreUnsafe(ref v, (nuint)i + 16);
            (Vector256.ConvertToSingle(e) * by).StoreUnsafe(ref v, (nuint)i + 24);
        }

        public void Scalar(int i) => _values[i] = _bytes[i] * scale;
    }
}
