using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Federated.Compression;

/// <summary>
/// The ascending indices of the values with |x| ≥ a threshold. The AVX2 path compares eight values a
/// step and moves the chosen indices to the front of a vector with a permutation looked up by the
/// comparison's bit mask (no branch per value), and must match the scalar path (tests).
/// </summary>
internal static class Indices
{
    // For each 8-bit mask, the positions of its set bits in order, a nibble each.
    private static readonly uint[] Positions = BuildPositions();

    /// <summary>Writes the indices into <paramref name="indices"/> and returns how many, or −1 once more than <paramref name="most"/> are found; indices needs room for most + 8.</summary>
    public static int AtLeast(ReadOnlySpan<float> values, float threshold, Span<int> indices, int most)
    {
        if (indices.Length < most + 8)
        {
            throw new ArgumentException($"Indices: room for {most} + 8 needed, {indices.Length} given.");
        }
        int i = 0, count = 0;
        if (Avx2.IsSupported)
        {
            ref float v = ref MemoryMarshal.GetReference(values);
            ref int o = ref MemoryMarshal.GetReference(indices);
            ref uint table = ref MemoryMarshal.GetArrayDataReference(Positions);
            var limit = Vector256.Create(threshold);
            var step = Vector256.Create(8);
            var shifts = Vector256.Create(0u, 4, 8, 12, 16, 20, 24, 28);
            var at = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (; i <= values.Length - 8; i += 8, at += step)
            {
                uint mask = Vector256.GreaterThanOrEqual(Vector256.Abs(Vector256.LoadUnsafe(ref v, (nuint)i)), limit).ExtractMostSignificantBits();
                if (count > most)
                {
                    return -1;
                }
                var order = (Avx2.ShiftRightLogicalVariable(Vector256.Create(Unsafe.Add(ref table, mask)), shifts) & Vector256.Create(0xFu)).AsInt32();
                Avx2.PermuteVar8x32(at, order).StoreUnsafe(ref o, (nuint)count);
                count += BitOperations.PopCount(mask);
            }
        }
        for (; i < values.Length; i++)
        {
            if (MathF.Abs(values[i]) >= threshold)
            {
                if (count >= most + 1)
                {
                    return -1;
                }
                indices[count++] = i;
            }
        }
        return count > most ? -1 : count;
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

    private static uint[] BuildPositions()
    {
        var table = new uint[256];
        for (int mask = 0; mask < 256; mask++)
        {
            int n = 0;
            for (int bit = 0; bit < 8; bit++)
            {
                if ((mask >> bit & 1) != 0)
                {
                    table[mask] |= (uint)bit << (4 * n++);
                }
            }
        }
        return table;
    }
}
