using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The five-row tile 16 columns wide: ten accumulators, two B vectors and one broadcast, within 16
/// vector registers.
/// </summary>
internal static unsafe class GemmTile5x16
{
    /// <summary>
    /// C (=|+=, scaled) a full 5x16 tile: row r's element p of A at a[r·rowStride + p·kStride], B's rows
    /// ldb apart (fetched prefetchAhead floats ahead, unless 0); c + scale·p as <see cref="GemmMicroKernel"/> stores it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int k, float* a, long rowStride, long kStride, float* b, long ldb, float* c, int ldc, bool add, float scale, long prefetchAhead)
    {
        float* a0 = a, a1 = a + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride, a4 = a3 + rowStride;
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        long q = 0;
        for (int p = 0; p < k; p++)
        {
            float* bp = b + p * ldb;
            if (prefetchAhead != 0)
            {
                Sse.Prefetch0(bp + prefetchAhead);
                Sse.Prefetch0(bp + prefetchAhead + 15);
            }
            Vector256<float> b0 = Avx.LoadVector256(bp), b1 = Avx.LoadVector256(bp + 8);
            Vector256<float> v = Avx.BroadcastScalarToVector256(a0 + q);
            c00 = Fma.MultiplyAdd(v, b0, c00); c01 = Fma.MultiplyAdd(v, b1, c01);
            v = Avx.BroadcastScalarToVector256(a1 + q);
            c10 = Fma.MultiplyAdd(v, b0, c10); c11 = Fma.MultiplyAdd(v, b1, c11);
            v = Avx.BroadcastScalarToVector256(a2 + q);
            c20 = Fma.MultiplyAdd(v, b0, c20); c21 = Fma.MultiplyAdd(v, b1, c21);
            v = Avx.BroadcastScalarToVector256(a3 + q);
            c30 = Fma.MultiplyAdd(v, b0, c30); c31 = Fma.MultiplyAdd(v, b1, c31);
            v = Avx.BroadcastScalarToVector256(a4 + q);
            c40 = Fma.MultiplyAdd(v, b0, c40); c41 = Fma.MultiplyAdd(v, b1, c41);
            q += kStride;
        }
        GemmMicroKernel.Store(c, c00, c01, add, scale);
        GemmMicroKernel.Store(c + ldc, c10, c11, add, scale);
        GemmMicroKernel.Store(c + 2 * ldc, c20, c21, add, scale);
        GemmMicroKernel.Store(c + 3 * ldc, c30, c31, add, scale);
        GemmMicroKernel.Store(c + 4 * ldc, c40, c41, add, scale);
    }
}
