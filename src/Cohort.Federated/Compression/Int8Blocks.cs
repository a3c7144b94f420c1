using System.Runtime.InteropServices;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>Per block of values: a float32 scale max|x|/127, then each value rounded to the nearest of −127…127 in one byte.</summary>
public sealed class Int8Blocks(int block) : ICompressor
{
    public byte Id => CompressorIds.Int8;

    public string Name => "int8";

    public bool Unbiased => false;

    public void Encode(ReadOnlySpan<float> values, ref RandomStream random, MessageWriter writer)
    {
        for (int start = 0; start < values.Length; start += block)
        {
            var chunk = values.Slice(start, Math.Min(block, values.Length - start));
            float scale = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(chunk) / 127f;
            writer.WriteFloat(scale);
            float inverse = scale > 0 ? 1f / scale : 0f;
            var bytes = MemoryMarshal.Cast<byte, sbyte>(writer.Reserve(chunk.Length));
            for (int i = 0; i < chunk.Length; i++)
            {
                bytes[i] = (sbyte)Math.Clamp(MathF.Round(chunk[i] * inverse), -127f, 127f);
            }
        }
    }

    public void Decode(ref MessageReader reader, Span<float> values)
    {
        for (int start = 0; start < values.Length; start += block)
        {
            var chunk = values.Slice(start, Math.Min(block, values.Length - start));
            float scale = reader.ReadFloat();
            var bytes = MemoryMarshal.Cast<byte, sbyte>(reader.ReadBytes(chunk.Length));
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = bytes[i] * scale;
            }
        }
    }
}
