using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Federated.Wire;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// The wire form of a sparse vector: the count k (varint), the k ascending indices as varint gaps
/// (the first index, then each index minus the previous minus one), then the k values as float32.
/// </summary>
internal static class SparseCode
{
    public static void Write(MessageWriter writer, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        writer.WriteVarint((ulong)indices.Length);
        // A gap below 2^31 takes at most 5 bytes; the buffer is filled in place and trimmed to what was used.
        var bytes = writer.Free(checked(9 * indices.Length));
        int at = 0, previous = -1;
        foreach (int index in indices)
        {
            uint gap = (uint)(index - previous - 1);
            previous = index;
            at += Varint.Write(bytes[at..], gap);
        }
        var sent = MemoryMarshal.Cast<byte, float>(bytes.Slice(at, 4 * indices.Length));
        for (int j = 0; j < indices.Length; j++)
        {
            sent[j] = values[indices[j]];
        }
        writer.Advance(at + 4 * indices.Length);
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
        // The gaps end where the k-th byte without a continuation bit does; the values follow.
        var gaps = reader.ReadBytes(GapBytes(reader.Unread(), k));
        var sent = MemoryMarshal.Cast<byte, float>(reader.ReadBytes(k * 4));
        float scale = scaleFor?.Invoke(k) ?? 1f;
        values.Clear();
        long index = -1;
        int at = 0;
        for (int j = 0; j < k; j++)
        {
            if (Varint.TryRead(gaps, ref at, out ulong gap) != VarintRead.Done)
            {
                throw new FormatException("Compressed message: a varint longer than 64 bits.");
            }
            index += (long)Math.Min(gap, (ulong)values.Length) + 1;
            if (index >= values.Length)
            {
                throw new FormatException($"Sparse message: index {index} beyond {values.Length} values.");
            }
            values[(int)index] = sent[j] * scale;
        }
        return k;
    }

    /// <summary>How many bytes the first <paramref name="k"/> varints of <paramref name="bytes"/> take, 32 bytes a step.</summary>
    internal static int GapBytes(ReadOnlySpan<byte> bytes, int k)
    {
        var scan = new VarintEnds(bytes, k);
        int end = BlockLoop.RunWhile(ref scan, bytes.Length);
        if (scan.Left > 0)
        {
            throw new FormatException($"Sparse message: {k} index gaps run past the end.");
        }
        return end;
    }

    /// <summary>Counts the varints' last bytes (no continuation bit) down from k; refuses the byte after the k-th.</summary>
    private ref struct VarintEnds(ReadOnlySpan<byte> bytes, int k) : IBlockScan
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Left { get; private set; } = k;

        public static int Width => 32;

        public bool Vector(int at)
        {
            int found = BitOperations.PopCount(~Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_bytes), (nuint)at).ExtractMostSignificantBits());
            if (found >= Left)
            {
                return false;
            }
            Left -= found;
            return true;
        }

        public bool Scalar(int at)
        {
            if (Left == 0)
            {
                return false;
            }
            if (!Varint.Continues(_bytes[at]))
            {
                Left--;
            }
            return true;
        }
    }
}
