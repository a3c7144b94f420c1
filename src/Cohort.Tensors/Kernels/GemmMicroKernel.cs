using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>The 6x16 register block: 12 accumulators, two B vectors and one broadcast A value in 15 of 16 YMM registers.</summary>
internal static unsafe class GemmMicroKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, bool add, float scale)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadAlignedVector256(b);
            Vector256<float> b1 = Avx.LoadAlignedVector256(b + 8);
            Vector256<float> av = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += Gemm.MR;
            b += Gemm.NR;
        }
        Store(c, c00, c01, add, scale);
        Store(c + ldc, c10, c11, add, scale);
        Store(c + 2 * ldc, c20, c21, add, scale);
        Store(c + 3 * ldc, c30, c31, add, scale);
        Store(c + 4 * ldc, c40, c41, add, scale);
        Store(c + 5 * ldc, c50, c51, add, scale);
    }

    /// <summary>
    /// The same block with A read where it lies: row r's element p at a[r·rowStride + p·kStride]
    /// (row-major A: (lda, 1); transposed: (1, lda)), and B's row p at b[p·bStride] (a packed panel:
    /// 16; B itself: ldb). Rows past mr repeat the last real row, so only valid memory is read; the
    /// caller stores only mr rows. Sums in the packed kernel's order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16Strided(int kc, float* a, long rowStride, long kStride, int mr, float* b, long bStride, float* c, int ldc, bool add, float scale)
    {
        float* a0 = a;
        float* a1 = a + Math.Min(1, mr - 1) * rowStride;
        float* a2 = a + Math.Min(2, mr - 1) * rowStride;
        float* a3 = a + Math.Min(3, mr - 1) * rowStride;
        float* a4 = a + Math.Min(4, mr - 1) * rowStride;
        float* a5 = a + Math.Min(5, mr - 1) * rowStride;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        long q = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> av = Avx.BroadcastScalarToVector256(a0 + q);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(a1 + q);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(a2 + q);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(a3 + q);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(a4 + q);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(a5 + q);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            q += kStride;
            b += bStride;
        }
        Store(c, c00, c01, add, scale);
        Store(c + ldc, c10, c11, add, scale);
        Store(c + 2 * ldc, c20, c21, add, scale);
        Store(c + 3 * ldc, c30, c31, add, scale);
        Store(c + 4 * ldc, c40, c41, add, scale);
        Store(c + 5 * ldc, c50, c51, add, scale);
    }

    /// <summary>
    /// An mr x nr tile (at most 6 x 16) of the strided kernel: full tiles straight into C, others through
    /// the 6x16 scratch block <paramref name="edge"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile6x16Strided(int kc, float* a, long rowStride, long kStride, int mr, int nr, float* b, long bStride, float* c, int ldc, bool add, float scale, float* edge)
    {
        if (mr == Gemm.MR && nr == Gemm.NR)
        {
            Kernel6x16Strided(kc, a, rowStride, kStride, Gemm.MR, b, bStride, c, ldc, add, scale);
            return;
        }
        Kernel6x16Strided(kc, a, rowStride, kStride, mr, b, bStride, edge, Gemm.NR, false, 1f);
        StoreEdge(edge, mr, nr, c, ldc, add, scale);
    }

    /// <summary>Writes (or adds, scaled) the mr x nr corner of a tile computed into a scratch block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreEdge(float* edge, int mr, int nr, float* pc, int ldc, bool add, float scale)
    {
        // Lane for lane the scalar c + scale·e (or c + e, or e): the same roundings, the same bits.
        var mask0 = GemmSmall.Mask(nr).AsSingle();
        var mask1 = GemmSmall.Mask(nr - 8).AsSingle();
        var s = Vector256.Create(scale);
        for (int i = 0; i < mr; i++)
        {
            float* row = pc + (long)i * ldc;
            var lo = Avx.LoadVector256(edge + i * Gemm.NR);
            var hi = Avx.LoadVector256(edge + i * Gemm.NR + 8);
            if (scale != 1f)
            {
                lo = Avx.Multiply(s, lo);
                hi = Avx.Multiply(s, hi);
            }
            if (add)
            {
                lo = Avx.Add(Avx.MaskLoad(row, mask0), lo);
                hi = Avx.Add(Avx.MaskLoad(row + 8, mask1), hi);
            }
            Avx.MaskStore(row, mask0, lo);
            Avx.MaskStore(row + 8, mask1, hi);
        }
    }

    /// <summary>Stores 16 sums of a row: c = p, or c + p, or c + scale·p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(float* row, Vector256<float> lo, Vector256<float> hi, bool add, float scale)
    {
        if (add)
        {
            if (scale != 1f)
            {
                // c + scale·p with two roundings, as the SGD step on a written gradient.
                var s = Vector256.Create(scale);
                lo = Avx.Multiply(s, lo);
                hi = Avx.Multiply(s, hi);
            }
            lo = Avx.Add(lo, Avx.LoadVector256(row));
            hi = Avx.Add(hi, Avx.LoadVector256(row + 8));
        }
        Avx.Store(row, lo);
        Avx.Store(row + 8, hi);
    }
}
