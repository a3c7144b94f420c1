using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cohort.Tensors.Simd;

namespace Cohort.Federated.Compression;

/// <summary>
/// The ascending indices of the values with |x| ≥ a threshold. The vector path compares eight values a
/// step and moves the chosen indices to the front of a vector with a permutation looked up by the
/// comparison's bit mask (no branch per value), and must match the scalar path (tests).
/// </summary>
internal static class Indices
{
    // For each 8-bit mask, the positions of its set bits in order, then zeros: eight ints a mask.
    private static readonly int[] Positions = BuildPositions();

    /// <summary>Writes the indices into <paramref name="indices"/> and returns how many, or −1 once more than <paramref name="most"/> are found; indices needs room for most + 8.</summary>
    public static int AtLeast(ReadOnlySpan<float> values, float threshold, Span<int> indices, int most)
    {
        if (indices.Length < most + 8)
        {
            throw new ArgumentException($"Indices: room for {most} + 8 needed, {indices.Length} given.");
        }
        var scan = new Scan(values, threshold, indices, most);
        int end = BlockLoop.RunWhile(ref scan, values.Length);
        return end < values.Length || scan.Count > most ? -1 : scan.Count;
    }

    public static int AtLeastScalar(ReadOnlySpan<float> values, float threshold, Span<int> indices)
    {
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (MathF.Abs(values[i]) >= threshold)
            {
                indices[count++] = i;
            }
        }
        return count;
    }

    private static int[] BuildPositions()
    {
        var table = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
        {
            int n = 0;
            for (int bit = 0; bit < 8; bit++)
            {
                if ((mask >> bit & 1) != 0)
                {
                    table[8 * mask + n++] = bit;
                }
            }
        }
        return table;
    }

    /// <summary>Appends the indices of the chosen values, refusing once more than <c>most</c> are found.</summary>
    private ref struct Scan(ReadOnlySpan<float> values, float threshold, Span<int> indices, int most) : IBlockScan
    {
        private readonly ReadOnlySpan<float> _values = values;
        private readonly Span<int> _indices = indices;

        public int Count { get; private set; }

        public static int Width => 8;

        public bool Vector(int i)
        {
            if (Count > most)
            {
                return false;
            }
            uint mask = Vector256.GreaterThanOrEqual(Vector256.Abs(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_values), (nuint)i)), Vector256.Create(threshold))
                .ExtractMostSignificantBits();
            // The permutation moves the chosen lanes' indices to the front; the stores past them are overwritten later.
            var order = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(Positions), (nuint)(8 * mask));
            Vector256.Shuffle(Vector256.Create(i) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), order)
                .StoreUnsafe(ref MemoryMarshal.GetReference(_indices), (nuint)Count);
            Count += BitOperations.PopCount(mask);
            return true;
        }

        public bool Scalar(int i)
        {
            if (Count > most)
            {
                return false;
            }
            if (MathF.Abs(_values[i]) >= threshold)
            {
                _indices[Count++] = i;
            }
            return true;
        }
    }
}
