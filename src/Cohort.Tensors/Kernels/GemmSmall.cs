using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Products with few rows (a layer's batch of 10): packing would cost as much as the arithmetic,
/// so these kernels read A and B where they lie. Chosen by shape alone, so results never depend on
/// the thread count.
/// </summary>
internal static unsafe class GemmSmall
{
    /// <summary>At most this many rows of C take the unpacked A·B kernels.</summary>
    public const int MaxRows = 64;

    /// <summary>
    /// A·B unpacked up to <see cref="MaxRows"/> rows: five-row tiles leave no partial tile, and B's
    /// strips read in place beat packing B even where B is big (measured, best of eight: 50x3136x512
    /// 94 against 86 GFLOP/s packed, 64x196x800 100 against 83, 32x1024x288 90 against 70).
    /// </summary>
    public static bool PrefersUnpacked(int m) => m <= MaxRows;

    /// <summary>A·Bᵀ with at most this many rows takes the dot-product kernel (no packing of the transposed B).</summary>
    public const int MaxDotRows = 64;

    /// <summary>How many rows of B ahead the A·B tile prefetches.</summary>
    internal const int PrefetchRows = 8;

    /// <summary>A·Bᵀ with at most this many columns takes the dot-product kernel whatever the rows (a weight gradient of a 5x5 single-channel convolution).</summary>
    public const int MaxDotColumns = 32;

    /// <summary>C[m,n] (=|+=) A[m,k]·B[k,n]: 6x16 register tiles, B rows streamed with stride ldb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyNN(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool add)
    {
        int j = 0;
        if (WideTiles.Enabled)
        {
            j = GemmFiveRows.Strips(true, m, j, n, k, a, lda, 1, b, ldb, c, ldc, add, 1f);
        }
        j = GemmFiveRows.Strips(false, m, j, n, k, a, lda, 1, b, ldb, c, ldc, add, 1f);
        for (; j < n; j += 16)
        {
            int nr = Math.Min(16, n - j);
            Vector256<int> mask0 = Mask(nr), mask1 = Mask(nr - 8);
            for (int i = 0; i < m; i += 6)
            {
                TileNN(Math.Min(6, m - i), nr, k, a + (long)i * lda, lda, b + j, ldb, c + (long)i * ldc + j, ldc, add, mask0, mask1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileNN(int mr, int nr, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool add, Vector256<int> mask0, Vector256<int> mask1)
    {
        // Rows past mr repeat the last real row (valid memory); their results are not stored.
        float* a0 = a;
        float* a1 = a + (long)Math.Min(1, mr - 1) * lda;
        float* a2 = a + (long)Math.Min(2, mr - 1) * lda;
        float* a3 = a + (long)Math.Min(3, mr - 1) * lda;
        float* a4 = a + (long)Math.Min(4, mr - 1) * lda;
        float* a5 = a + (long)Math.Min(5, mr - 1) * lda;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        bool full = nr == 16;
        if (full)
        {
            // B's rows lie a stride apart: fetch a few rows ahead, which the hardware prefetcher does not.
            long ahead = PrefetchRows * (long)ldb;
            for (int p = 0; p < k; p++)
            {
                float* bp = b + (long)p * ldb;
                Sse.Prefetch0(bp + ahead);
                Sse.Prefetch0(bp + ahead + 15);
                Vector256<float> b0 = Avx.LoadVector256(bp), b1 = Avx.LoadVector256(bp + 8);
                Vector256<float> v0 = Vector256.Create(a0[p]);
                c00 = Fma.MultiplyAdd(v0, b0, c00);
                c01 = Fma.MultiplyAdd(v0, b1, c01);
                Vector256<float> v1 = Vector256.Create(a1[p]);
                c10 = Fma.MultiplyAdd(v1, b0, c10);
                c11 = Fma.MultiplyAdd(v1, b1, c11);
                Vector256<float> v2 = Vector256.Create(a2[p]);
                c20 = Fma.MultiplyAdd(v2, b0, c20);
                c21 = Fma.MultiplyAdd(v2, b1, c21);
                Vector256<float> v3 = Vector256.Create(a3[p]);
                c30 = Fma.MultiplyAdd(v3, b0, c30);
                c31 = Fma.MultiplyAdd(v3, b1, c31);
                Vector256<float> v4 = Vector256.Create(a4[p]);
                c40 = Fma.MultiplyAdd(v4, b0, c40);
                c41 = Fma.MultiplyAdd(v4, b1, c41);
                Vector256<float> v5 = Vector256.Create(a5[p]);
                c50 = Fma.MultiplyAdd(v5, b0, c50);
                c51 = Fma.MultiplyAdd(v5, b1, c51);
            }
        }
        else
        {
            for (int p = 0; p < k; p++)
            {
                float* bp = b + (long)p * ldb;
                Vector256<float> b0 = Avx.MaskLoad(bp, mask0.AsSingle()), b1 = Avx.MaskLoad(bp + 8, mask1.AsSingle());
                Vector256<float> v0 = Vector256.Create(a0[p]);
                c00 = Fma.MultiplyAdd(v0, b0, c00);
                c01 = Fma.MultiplyAdd(v0, b1, c01);
                Vector256<float> v1 = Vector256.Create(a1[p]);
                c10 = Fma.MultiplyAdd(v1, b0, c10);
                c11 = Fma.MultiplyAdd(v1, b1, c11);
                Vector256<float> v2 = Vector256.Create(a2[p]);
                c20 = Fma.MultiplyAdd(v2, b0, c20);
                c21 = Fma.MultiplyAdd(v2, b1, c21);
                Vector256<float> v3 = Vector256.Create(a3[p]);
                c30 = Fma.MultiplyAdd(v3, b0, c30);
                c31 = Fma.MultiplyAdd(v3, b1, c31);
                Vector256<float> v4 = Vector256.Create(a4[p]);
                c40 = Fma.MultiplyAdd(v4, b0, c40);
                c41 = Fma.MultiplyAdd(v4, b1, c41);
                Vector256<float> v5 = Vector256.Create(a5[p]);
                c50 = Fma.MultiplyAdd(v5, b0, c50);
                c51 = Fma.MultiplyAdd(v5, b1, c51);
            }
        }
        StoreRow(c, c00, c01, add, full, mask0, mask1);
        if (mr > 1) StoreRow(c + ldc, c10, c11, add, full, mask0, mask1);
        if (mr > 2) StoreRow(c + 2 * ldc, c20, c21, add, full, mask0, mask1);
        if (mr > 3) StoreRow(c + 3 * ldc, c30, c31, add, full, mask0, mask1);
        if (mr > 4) StoreRow(c + 4 * ldc, c40, c41, add, full, mask0, mask1);
        if (mr > 5) StoreRow(c + 5 * ldc, c50, c51, add, full, mask0, mask1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* row, Vector256<float> lo, Vector256<float> hi, bool add, bool full, Vector256<int> mask0, Vector256<int> mask1)
    {
        if (full)
        {
            if (add)
            {
                lo = Avx.Add(lo, Avx.LoadVector256(row));
                hi = Avx.Add(hi, Avx.LoadVector256(row + 8));
            }
            Avx.Store(row, lo);
            Avx.Store(row + 8, hi);
        }
        else
        {
            if (add)
            {
                lo = Avx.Add(lo, Avx.MaskLoad(row, mask0.AsSingle()));
                hi = Avx.Add(hi, Avx.MaskLoad(row + 8, mask1.AsSingle()));
            }
            Avx.MaskStore(row, mask0.AsSingle(), lo);
            Avx.MaskStore(row + 8, mask1.AsSingle(), hi);
        }
    }

    /// <summary>C[m,n] (=|+=) A[m,k]·B[n,k]ᵀ: dot products of contiguous rows, 3 rows of A by 4 of B at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyNT(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool add)
    {
        Vector256<int> tail = Mask(k & 7);
        bool wide = WideTiles.Enabled;
        for (int j = 0; j < n; j += 4)
        {
            int nr = Math.Min(4, n - j);
            int i = 0;
            if (wide && nr == 4)
            {
                for (; i + GemmDotWide.Rows <= m; i += GemmDotWide.Rows)
                {
                    GemmDotWide.Tile(k, a + (long)i * lda, lda, b + (long)j * ldb, ldb, c + (long)i * ldc + j, ldc, add, tail);
                }
            }
            for (; i < m; i += 3)
            {
                TileNT(Math.Min(3, m - i), nr, k, a + (long)i * lda, lda, b + (long)j * ldb, ldb, c + (long)i * ldc + j, ldc, add, tail);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileNT(int mr, int nr, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool add, Vector256<int> tail)
    {
        float* a0 = a;
        float* a1 = a + (long)Math.Min(1, mr - 1) * lda;
        float* a2 = a + (long)Math.Min(2, mr - 1) * lda;
        float* b0 = b;
        float* b1 = b + (long)Math.Min(1, nr - 1) * ldb;
        float* b2 = b + (long)Math.Min(2, nr - 1) * ldb;
        float* b3 = b + (long)Math.Min(3, nr - 1) * ldb;
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var x0 = Avx.LoadVector256(a0 + p);
            var x1 = Avx.LoadVector256(a1 + p);
            var x2 = Avx.LoadVector256(a2 + p);
            var y = Avx.LoadVector256(b0 + p);
            s00 = Fma.MultiplyAdd(x0, y, s00);
            s10 = Fma.MultiplyAdd(x1, y, s10);
            s20 = Fma.MultiplyAdd(x2, y, s20);
            y = Avx.LoadVector256(b1 + p);
            s01 = Fma.MultiplyAdd(x0, y, s01);
            s11 = Fma.MultiplyAdd(x1, y, s11);
            s21 = Fma.MultiplyAdd(x2, y, s21);
            y = Avx.LoadVector256(b2 + p);
            s02 = Fma.MultiplyAdd(x0, y, s02);
            s12 = Fma.MultiplyAdd(x1, y, s12);
            s22 = Fma.MultiplyAdd(x2, y, s22);
            y = Avx.LoadVector256(b3 + p);
            s03 = Fma.MultiplyAdd(x0, y, s03);
            s13 = Fma.MultiplyAdd(x1, y, s13);
            s23 = Fma.MultiplyAdd(x2, y, s23);
        }
        if (p < k)
        {
            // Masked loads read zeros past k and never touch memory there.
            var mk = tail.AsSingle();
            var x0 = Avx.MaskLoad(a0 + p, mk);
            var x1 = Avx.MaskLoad(a1 + p, mk);
            var x2 = Avx.MaskLoad(a2 + p, mk);
            var y = Avx.MaskLoad(b0 + p, mk);
            s00 = Fma.MultiplyAdd(x0, y, s00);
            s10 = Fma.MultiplyAdd(x1, y, s10);
            s20 = Fma.MultiplyAdd(x2, y, s20);
            y = Avx.MaskLoad(b1 + p, mk);
            s01 = Fma.MultiplyAdd(x0, y, s01);
            s11 = Fma.MultiplyAdd(x1, y, s11);
            s21 = Fma.MultiplyAdd(x2, y, s21);
            y = Avx.MaskLoad(b2 + p, mk);
            s02 = Fma.MultiplyAdd(x0, y, s02);
            s12 = Fma.MultiplyAdd(x1, y, s12);
            s22 = Fma.MultiplyAdd(x2, y, s22);
            y = Avx.MaskLoad(b3 + p, mk);
            s03 = Fma.MultiplyAdd(x0, y, s03);
            s13 = Fma.MultiplyAdd(x1, y, s13);
            s23 = Fma.MultiplyAdd(x2, y, s23);
        }
        StoreDots(c, Sum4(s00, s01, s02, s03), nr, add);
        if (mr > 1) StoreDots(c + ldc, Sum4(s10, s11, s12, s13), nr, add);
        if (mr > 2) StoreDots(c + 2 * ldc, Sum4(s20, s21, s22, s23), nr, add);
    }

    /// <summary>The horizontal sums of four vectors, as one vector's first four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Sum4(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3)
    {
        var h01 = Avx.HorizontalAdd(v0, v1);
        var h23 = Avx.HorizontalAdd(v2, v3);
        var h = Avx.HorizontalAdd(h01, h23);
        return Sse.Add(h.GetLower(), h.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreDots(float* row, Vector128<float> sums, int nr, bool add)
    {
        if (nr == 4)
        {
            if (add)
            {
                sums = Sse.Add(sums, Sse.LoadVector128(row));
            }
            Sse.Store(row, sums);
            return;
        }
        for (int j = 0; j < nr; j++)
        {
            float v = sums.GetElement(j);
            row[j] = add ? row[j] + v : v;
        }
    }

    /// <summary>A lane mask with the first <paramref name="count"/> lanes set (count clamped to 0..8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> Mask(int count) =>
        Avx2.CompareGreaterThan(Vector256.Create(Math.Clamp(count, 0, 8)), Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7));
}
