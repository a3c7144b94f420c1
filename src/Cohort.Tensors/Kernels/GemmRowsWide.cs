using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The unpacked tile five rows high and 32 columns wide, for <see cref="WideTiles"/>: 20
/// accumulators, four B vectors and one broadcast; A·B (<see cref="GemmSmall.MultiplyNN"/>) and
/// Aᵀ·B of small depth (<see cref="Gemm"/>'s weight gradients). Each element is summed in the order
/// of the six-row tiles those use where the registers are fewer.
/// </summary>
internal static unsafe class GemmRowsWide
{
    public const int Rows = 5;

    public const int Columns = 32;

    /// <summary>
    /// How many of m rows go first to six-row tiles so that the rest is a multiple of five (16 = 6 + 10);
    /// all of them when m is too small for that.
    /// </summary>
    public static int NarrowRows(int m)
    {
        int narrow = 6 * (m % Rows);
        return narrow <= m ? narrow : m % Rows;
    }

    /// <summary>
    /// C (=|+=, scaled) a full 5x32 tile: row r's element p of A at a[r·rowStride + p·kStride], B's rows
    /// ldb apart (fetched a few ahead); c + scale·p as <see cref="GemmMicroKernel"/> stores it.
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
            Sse.Prefetch0(bp + prefetchAhead);
            Sse.Prefetch0(bp + prefetchAhead + 31);
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
        if (add)
        {
            if (scale != 1f)
            {
                var s = Vector256.Create(scale);
                v0 = Avx.Multiply(s, v0);
                v1 = Avx.Multiply(s, v1);
                v2 = Avx.Multiply(s, v2);
                v3 = Avx.Multiply(s, v3);
            }
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
