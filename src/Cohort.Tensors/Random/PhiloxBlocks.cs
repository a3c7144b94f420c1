using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Random;

/// <summary>
/// Many consecutive Philox blocks at once: block j of a run has the 64-bit counter first + j in its
/// low words, (c2, c3) above, and its four numbers go to output[4j..4j+3], as <see cref="Philox.Block"/>
/// would give them. The AVX2 path encrypts 8 blocks side by side and must match the scalar one bit for bit (tests).
/// </summary>
internal static class PhiloxBlocks
{
    /// <summary>Fills <paramref name="output"/> (a multiple of 4 long) with blocks first, first + 1, …</summary>
    public static void Fill(ulong first, uint c2, uint c3, uint k0, uint k1, Span<uint> output)
    {
        if (output.Length % 4 != 0)
        {
            throw new ArgumentException($"Philox blocks: {output.Length} numbers is not whole blocks of 4.");
        }
        int i = 0;
        if (Avx2.IsSupported)
        {
            ref uint o = ref MemoryMarshal.GetReference(output);
            for (; i <= output.Length - 32; i += 32, first += 8)
            {
                // Eight counters must share their high word; a run that crosses 2^32 goes the scalar way.
                if ((uint)first > uint.MaxValue - 7)
                {
                    FillScalar(first, c2, c3, k0, k1, output.Slice(i, 32));
                    continue;
                }
                Eight(first, c2, c3, k0, k1, ref Unsafe.Add(ref o, i));
            }
        }
        FillScalar(first, c2, c3, k0, k1, output[i..]);
    }

    public static void FillScalar(ulong first, uint c2, uint c3, uint k0, uint k1, Span<uint> output)
    {
        for (int i = 0; i + 4 <= output.Length; i += 4, first++)
        {
            (output[i], output[i + 1], output[i + 2], output[i + 3]) = Philox.Block((uint)first, (uint)(first >> 32), c2, c3, k0, k1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Eight(ulong first, uint c2, uint c3, uint k0, uint k1, ref uint output)
    {
        var x0 = Vector256.Create((uint)first) + Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        var x1 = Vector256.Create((uint)(first >> 32));
        var x2 = Vector256.Create(c2);
        var x3 = Vector256.Create(c3);
        var key0 = Vector256.Create(k0);
        var key1 = Vector256.Create(k1);
        var m0 = Vector256.Create(Philox.M0);
        var m1 = Vector256.Create(Philox.M1);
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                key0 += Vector256.Create(Philox.W0);
                key1 += Vector256.Create(Philox.W1);
            }
            var (hi0, lo0) = Multiply(x0, m0);
            var (hi1, lo1) = Multiply(x2, m1);
            x0 = hi1 ^ x1 ^ key0;
            x1 = lo1;
            x2 = hi0 ^ x3 ^ key1;
            x3 = lo0;
        }
        // Transpose the four words of eight blocks into stream order: block j's words at 4j.
        var t0 = Avx2.UnpackLow(x0, x1);
        var t1 = Avx2.UnpackHigh(x0, x1);
        var t2 = Avx2.UnpackLow(x2, x3);
        var t3 = Avx2.UnpackHigh(x2, x3);
        var u0 = Avx2.UnpackLow(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();
        var u1 = Avx2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();
        var u2 = Avx2.UnpackLow(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();
        var u3 = Avx2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();
        Avx2.Permute2x128(u0, u1, 0x20).StoreUnsafe(ref output);
        Avx2.Permute2x128(u2, u3, 0x20).StoreUnsafe(ref output, 8);
        Avx2.Permute2x128(u0, u1, 0x31).StoreUnsafe(ref output, 16);
        Avx2.Permute2x128(u2, u3, 0x31).StoreUnsafe(ref output, 24);
    }

    /// <summary>The high and low 32 bits of each lane's 64-bit product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> High, Vector256<uint> Low) Multiply(Vector256<uint> x, Vector256<uint> m)
    {
        // vpmuludq multiplies the even lanes; the odd ones are shifted down for a second product.
        var even = Avx2.Multiply(x, m).AsUInt32();
        var odd = Avx2.Multiply(Avx2.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), m).AsUInt32();
        var high = Avx2.Blend(Avx2.ShiftRightLogical(even.AsUInt64(), 32).AsUInt32(), odd, 0b10101010);
        var low = Avx2.Blend(even, Avx2.ShiftLeftLogical(odd.AsUInt64(), 32).AsUInt32(), 0b10101010);
        return (high, low);
    }
}
