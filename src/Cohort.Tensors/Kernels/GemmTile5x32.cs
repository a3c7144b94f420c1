using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The five-row tile 32 columns wide, for <see cref="WideTiles"/>: 20 accumulators, four B vectors and
/// one broadcast. Laid out by hand as <see cref="GemmTile5x16"/> is: a width-generic version measured 5 %
/// slower (the JIT kept the unused vectors).
/// </summary>
internal static unsafe class GemmTile5x32
{
    /// <summary>
    /// C (=|+=, scaled) a full 5x32 tile: row r's element p of A at a[r·rowStride + p·kStride], B's rows
    /// ldb apart (fetched prefetchAhead floats ahead, unless 0); c + scale·p as <see cref="GemmMicroKernel"/> stores it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int k, float* a, long rowStride, long kStride, float* b, long ldb, float* c, int ldc, bool add, float scale, long prefetchAhead)
    {
        float* a0 = a, a1 = a + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride, a4 = a3 + rowStride;
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector256<float> c40 = default, c41 = default, c42 = default, c43 = default;
        long q = 0;
        for (int p = 0; p < k; p++)
        {
            float* bp = b + p * ldb;
            if (prefetchAhead != 0)
            {
                Sse.Prefetch0(bp + prefetchAhead);
                Sse.Prefetch0(bp + prefetchAhead + 31);
            }
            Vector256<float> b0 = Avx.LoadVector256(bp), b1 = Avx.LoadVector256(bp + 8);
            Vector256<float> b2 = Avx.LoadVector256(bp + 16), b3 = Avx.LoadVector256(bp + 24);
            Vector256<float> v = Avx.BroadcastScalarToVector256(a0 + q);
            c00 = Fma.MultiplyAdd(v, b0, c00); c01 = Fma.MultiplyAdd(v, b1, c01); c02 = Fma.MultiplyAdd(v, b2, c02); c03 = Fma.MultiplyAdd(v, b3, c03);
            v = Avx.BroadcastScalarToVector256(a1 + q);
            c10 = Fma.MultiplyAdd(v, b0, c10); c11 = Fma.MultiplyAdd(v, b1, c11); c12 = Fma.MultiplyAdd(v, b2, c12); c13 = Fma.MultiplyAdd(v, b3, c13);
            v = Avx.BroadcastScalarToVector256(a2 + q);
            c20 = Fma.MultiplyAdd(v, b0, c20); c21 = Fma.MultiplyAdd(v, b1, c21); c22 = Fma.MultiplyAdd(v, b2, c22); c23 = Fma.MultiplyAdd(v, b3, c23);
            v = Avx.BroadcastScalarToVector256(a3 + q);
            c30 = Fma.MultiplyAdd(v, b0, c30); c31 = Fma.MultiplyAdd(v, b1, c31); c32 = Fma.MultiplyAdd(v, b2, c32); c33 = Fma.MultiplyAdd(v, b3, c33);
            v = Avx.BroadcastScalarToVector256(a4 + q);
            c40 = Fma.MultiplyAdd(v, b0, c40); c41 = Fma.MultiplyAdd(v, b1, c41); c42 = Fma.MultiplyAdd(v, b2, c42); c43 = Fma.MultiplyAdd(v, b3, c43);
            q += kStride;
        }
        Store(c, c00, c01, c02, c03, add, scale);
        Store(c + ldc, c10, c11, c12, c13, add, scale);
        Store(c + 2 * ldc, c20, c21, c22, c23, add, scale);
        Store(c + 3 * ldc, c30, c31, c32, c33, add, scale);
        Store(c + 4 * ldc, c40, c41, c42, c43, add, scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3, bool add, float scale)
    {
        GemmMicroKernel.Store(row, v0, v1, add, scale);
        GemmMicroKernel.Store(row + 16, v2, v3, add, scale);
    }
}
