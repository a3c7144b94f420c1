using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// QSGD (Alistarh et al. 2017): per bucket, ‖v‖_p·sign(vᵢ)·ξᵢ/s with ξᵢ ∈ {ℓ, ℓ+1} drawn so that E[ξᵢ] = s·|vᵢ|/‖v‖_p
/// (unbiased for any p, as ‖v‖_p ≥ |vᵢ|). On the wire: the norm as float32, then for each value the
/// Elias gamma code of ξᵢ + 1 and, when ξᵢ > 0, a sign bit.
/// </summary>
public sealed class Qsgd(int levels, int bucket, double p) : ICompressor
{
    public byte Id => CompressorIds.Qsgd;

    public string Name => "qsgd";

    public bool Unbiased => true;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        for (int start = 0; start < values.Length; start += bucket)
        {
            var chunk = values.Slice(start, Math.Min(bucket, values.Length - start));
            float norm = Norm(chunk);
            writer.WriteFloat(norm);
            float perUnit = norm > 0 ? levels / norm : 0f;
            foreach (float v in chunk)
            {
                float r = Math.Min(MathF.Abs(v) * perUnit, levels);
                uint level = (uint)r;
                if (random.NextFloat() < r - level)
                {
                    level++;
                }
                writer.WriteEliasGamma(level + 1);
                if (level > 0)
                {
                    writer.WriteBits(BitConverter.SingleToUInt32Bits(v) >> 31, 1);
                }
            }
        }
        writer.FlushBits();
    }

    public void Decode(ref MessageReader reader, Span<float> values)
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
}
