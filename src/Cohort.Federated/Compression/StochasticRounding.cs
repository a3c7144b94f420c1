using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// Unbiased stochastic rounding to b bits: per bucket the min and max as float32, then each value as
/// one of 2^b evenly spaced levels between them, rounded up with probability equal to its distance
/// past the lower level, packed b bits a value.
/// </summary>
public sealed class StochasticRounding(int bits, int bucket) : ICompressor
{
    private readonly uint _top = (1u << bits) - 1;

    public byte Id => CompressorIds.StochasticRounding;

    public string Name => "stochastic-rounding";

    public bool Unbiased => true;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float low = System.Numerics.Tensors.TensorPrimitives.Min(chunk);
            float high = System.Numerics.Tensors.TensorPrimitives.Max(chunk);
            writer.WriteFloat(low);
            writer.WriteFloat(high);
            float step = (high - low) / _top;
            float inverse = step > 0 ? 1f / step : 0f;
            foreach (float v in chunk)
            {
                float t = Math.Clamp((v - low) * inverse, 0f, _top);
                uint level = (uint)t;
                if (level < _top && random.NextFloat() < t - level)
                {
                    level++;
                }
                writer.WriteBits(level, bits);
            }
        }
        writer.FlushBits();
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float low = reader.ReadFloat();
            float high = reader.ReadFloat();
            float step = (high - low) / _top;
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = low + reader.ReadBits(bits) * step;
            }
        }
        reader.DropBits();
    }
}
