using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The A·Bᵀ dot-product tile five rows high, for <see cref="WideTiles"/>: 20 accumulators, four B
/// vectors and one A vector. Each element is summed in exactly the order of the three-row tile.
/// </summary>
internal static unsafe class GemmDotWide
{
    public const int Rows = 5;

    /// <summary>A full 5x4 tile: rows a, a+lda, …; columns b, b+ldb, …; k's tail (k mod 8) read through the mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool add, Vector256<int> tail)
    {
        float* a0 = a, a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda;
        float* b0 = b, b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector256<float> s30 = default, s31 = default, s32 = default, s33 = default;
        Vector256<float> s40 = default, s41 = default, s42 = default, s43 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var y0 = Avx.LoadVector256(b0 + p);
            var y1 = Avx.LoadVector256(b1 + p);
            var y2 = Avx.LoadVector256(b2 + p);
            var y3 = Avx.LoadVector256(b3 + p);
            var x = Avx.LoadVector256(a0 + p);
            s00 = Fma.MultiplyAdd(x, y0, s00); s01 = Fma.MultiplyAdd(x, y1, s01); s02 = Fma.MultiplyAdd(x, y2, s02); s03 = Fma.MultiplyAdd(x, y3, s03);
            x = Avx.LoadVector256(a1 + p);
            s10 = Fma.MultiplyAdd(x, y0, s10); s11 = Fma.MultiplyAdd(x, y1, s11); s12 = Fma.MultiplyAdd(x, y2, s12); s13 = Fma.MultiplyAdd(x, y3, s13);
            x = Avx.LoadVector256(a2 + p);
            s20 = Fma.MultiplyAdd(x, y0, s20); s21 = Fma.MultiplyAdd(x, y1, s21); s22 = Fma.MultiplyAdd(x, y2, s22); s23 = Fma.MultiplyAdd(x, y3, s23);
            x = Avx.LoadVector256(a3 + p);
            s30 = Fma.MultiplyAdd(x, y0, s30); s31 = Fma.MultiplyAdd(x, y1, s31); s32 = Fma.MultiplyAdd(x, y2, s32); s33 = Fma.MultiplyAdd(x, y3, s33);
            x = Avx.LoadVector256(a4 + p);
            s40 = Fma.MultiplyAdd(x, y0, s40); s41 = Fma.MultiplyAdd(x, y1, s41); s42 = Fma.MultiplyAdd(x, y2, s42); s43 = Fma.MultiplyAdd(x, y3, s43);
        }
        if (p < k)
        {
            // Masked loads read zeros past k and never touch memory there.
            var mk = tail.AsSingle();
            var y0 = Avx.MaskLoad(b0 + p, mk);
            var y1 = Avx.MaskLoad(b1 + p, mk);
            var y2 = Avx.MaskLoad(b2 + p, mk);
            var y3 = Avx.MaskLoad(b3 + p, mk);
            var x = Avx.MaskLoad(a0 + p, mk);
            s00 = Fma.MultiplyAdd(x, y0, s00); s01 = Fma.MultiplyAdd(x, y1, s01); s02 = Fma.MultiplyAdd(x, y2, s02); s03 = Fma.MultiplyAdd(x, y3, s03);
            x = Avx.MaskLoad(a1 + p, mk);
            s10 = Fma.MultiplyAdd(x, y0, s10); s11 = Fma.MultiplyAdd(x, y1, s11); s12 = Fma.MultiplyAdd(x, y2, s12); s13 = Fma.MultiplyAdd(x, y3, s13);
            x = Avx.MaskLoad(a2 + p, mk);
            s20 = Fma.MultiplyAdd(x, y0, s20); s21 = Fma.MultiplyAdd(x, y1, s21); s22 = Fma.MultiplyAdd(x, y2, s22); s23 = Fma.MultiplyAdd(x, y3, s23);
            x = Avx.MaskLoad(a3 + p, mk);
            s30 = Fma.MultiplyAdd(x, y0, s30); s31 = Fma.MultiplyAdd(x, y1, s31); s32 = Fma.MultiplyAdd(x, y2, s32); s33 = Fma.MultiplyAdd(x, y3, s33);
            x = Avx.MaskLoad(a4 + p, mk);
            s40 = Fma.MultiplyAdd(x, y0, s40); s41 = Fma.MultiplyAdd(x, y1, s41); s42 = Fma.MultiplyAdd(x, y2, s42); s43 = Fma.MultiplyAdd(x, y3, s43);
        }
        GemmSmall.StoreDots(c, GemmSmall.Sum4(s00, s01, s02, s03), 4, add);
        GemmSmall.StoreDots(c + ldc, GemmSmall.Sum4(s10, s11, s12, s13), 4, add);
        GemmSmall.StoreDots(c + 2 * ldc, GemmSmall.Sum4(s20, s21, s22, s23), 4, add);
        GemmSmall.StoreDots(c + 3 * ldc, GemmSmall.Sum4(s30, s31, s32, s33), 4, add);
        GemmSmall.StoreDots(c + 4 * ldc, GemmSmall.Sum4(s40, s41, s42, s43), 4, add);
    }
}
