using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The unpacked A·B tile five rows high and 32 columns wide, for <see cref="WideTiles"/>: 20
/// accumulators, four B vectors and one broadcast. Each element is summed in the order of the
/// six-row tile of <see cref="GemmSmall.MultiplyNN"/>.
/// </summary>
internal static unsafe class GemmRowsWide
{
    public const int Rows = 5;

    public const int Columns = 32;

    /// <summary>A full 5x32 tile: rows of A lda apart, rows of B ldb apart (fetched a few ahead).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool add, long prefetchAhead)
    {
        float* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda;
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector256<float> c40 = default, c41 = default, c42 = default, c43 = default;
        for (int p = 0; p < k; p++)
        {
            float* bp = b + (long)p * ldb;
            Sse.Prefetch0(bp + prefetchAhead);
            Sse.Prefetch0(bp + prefetchAhead + 31);
            Vector256<float> b0 = Avx.LoadVector256(bp), b1 = Avx.LoadVector256(bp + 8);
            Vector256<float> b2 = Avx.LoadVector256(bp + 16), b3 = Avx.LoadVector256(bp + 24);
            Vector256<float> v = Vector256.Create(a0[p]);
            c00 = Fma.MultiplyAdd(v, b0, c00); c01 = Fma.MultiplyAdd(v, b1, c01); c02 = Fma.MultiplyAdd(v, b2, c02); c03 = Fma.MultiplyAdd(v, b3, c03);
            v = Vector256.Create(a1[p]);
            c10 = Fma.MultiplyAdd(v, b0, c10); c11 = Fma.MultiplyAdd(v, b1, c11); c12 = Fma.MultiplyAdd(v, b2, c12); c13 = Fma.MultiplyAdd(v, b3, c13);
            v = Vector256.Create(a2[p]);
            c20 = Fma.MultiplyAdd(v, b0, c20); c21 = Fma.MultiplyAdd(v, b1, c21); c22 = Fma.MultiplyAdd(v, b2, c22); c23 = Fma.MultiplyAdd(v, b3, c23);
            v = Vector256.Create(a3[p]);
            c30 = Fma.MultiplyAdd(v, b0, c30); c31 = Fma.MultiplyAdd(v, b1, c31); c32 = Fma.MultiplyAdd(v, b2, c32); c33 = Fma.MultiplyAdd(v, b3, c33);
            v = Vector256.Create(a4[p]);
            c40 = Fma.MultiplyAdd(v, b0, c40); c41 = Fma.MultiplyAdd(v, b1, c41); c42 = Fma.MultiplyAdd(v, b2, c42); c43 = Fma.MultiplyAdd(v, b3, c43);
        }
        Store(c, c00, c01, c02, c03, add);
        Store(c + ldc, c10, c11, c12, c13, add);
        Store(c + 2 * ldc, c20, c21, c22, c23, add);
        Store(c + 3 * ldc, c30, c31, c32, c33, add);
        Store(c + 4 * ldc, c40, c41, c42, c43, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3, bool add)
    {
        if (add)
        {
            v0 = Avx.Add(v0, Avx.LoadVector256(row));
            v1 = Avx.Add(v1, Avx.LoadVector256(row + 8));
            v2 = Avx.Add(v2, Avx.LoadVector256(row + 16));
            v3 = Avx.Add(v3, Avx.LoadVector256(row + 24));
        }
        Avx.Store(row, v0);
        Avx.Store(row + 8, v1);
        Avx.Store(row + 16, v2);
        Avx.Store(row + 24, v3);
    }
}
