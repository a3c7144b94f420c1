using System.Runtime.InteropServices;

namespace Cohort.Federated.Compression;

/// <summary>
/// The wire form of a sparse vector: the count k (varint), the k ascending indices as varint gaps
/// (the first index, then each index minus the previous minus one), then the k values as float32.
/// </summary>
public static class SparseCode
{
    public static void Write(MessageWriter writer, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        writer.WriteVarint((ulong)indices.Length);
        int previous = -1;
        foreach (int index in indices)
        {
            writer.WriteVarint((ulong)(index - previous - 1));
            previous = index;
        }
        var bytes = MemoryMarshal.Cast<byte, float>(writer.Reserve(indices.Length * 4));
        for (int j = 0; j < indices.Length; j++)
        {
            bytes[j] = values[indices[j]];
        }
    }

    /// <summary>Clears <paramref name="values"/>, then writes each sent value at its index, times the scale <paramref name="scaleFor"/> gives for k; returns k.</summary>
    public static int Read(ref MessageReader reader, Span<float> values, Func<int, float>? scaleFor = null)
    {
        ulong count = reader.ReadVarint();
        if (count > (ulong)values.Length)
        {
            throw new FormatException($"Sparse message: {count} entries for {values.Length} values.");
        }
        int k = (int)count;
        Span<int> indices = k <= 1024 ? stackalloc int[k] : new int[k];
        long index = -1;
        for (int j = 0; j < k; j++)
        {
            index += (long)reader.ReadVarint() + 1;
            if (index >= values.Length)
            {
                throw new FormatException($"Sparse message: index {index} beyond {values.Length} values.");
            }
            indices[j] = (int)index;
        }
        var sent = MemoryMarshal.Cast<byte, float>(reader.ReadBytes(k * 4));
        float scale = scaleFor?.Invoke(k) ?? 1f;
        values.Clear();
        for (int j = 0; j < k; j++)
        {
            values[indices[j]] = sent[j] * scale;
        }
        return k;
    }
}
