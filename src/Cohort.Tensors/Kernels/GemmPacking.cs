using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the micro-panel layouts the micro-kernel streams through, zero-padding the edges.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] as panels of MR rows: panel[p*MR + r].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool trans, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        const int MR = Gemm.MR;
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mr = Math.Min(MR, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (!trans)
            {
                for (int r = 0; r < MR; r++)
                {
                    if (r < mr)
                    {
                        float* src = a + (long)(ic + ir + r) * lda + pc;
                        for (int p = 0; p < kc; p++)
                        {
                            panel[p * MR + r] = src[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            panel[p * MR + r] = 0f;
                        }
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(pc + p) * lda + ic + ir;
                    float* d = panel + p * MR;
                    int r = 0;
                    for (; r < mr; r++)
                    {
                        d[r] = src[r];
                    }
                    for (; r < MR; r++)
                    {
                        d[r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] as panels of NR columns: panel[p*NR + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool trans, float* b, int ldb, int pc, int jc, int kc, int nc, float* dst)
    {
        const int NR = Gemm.NR;
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (!trans)
            {
                if (nr == NR)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(pc + p) * ldb + jc + jr;
                        Avx.StoreAligned(panel + p * NR, Avx.LoadVector256(src));
                        Avx.StoreAligned(panel + p * NR + 8, Avx.LoadVector256(src + 8));
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(pc + p) * ldb + jc + jr;
                        float* d = panel + p * NR;
                        int j = 0;
                        for (; j < nr; j++)
                        {
                            d[j] = src[j];
                        }
                        for (; j < NR; j++)
                        {
                            d[j] = 0f;
                        }
                    }
                }
            }
            else if (nr == NR)
            {
                // op(B)(p, j) = B[j, p]: transpose 8x8 blocks in registers.
                float* rows = b + (long)(jc + jr) * ldb + pc;
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(rows + p, ldb, panel + p * NR);
                    Transpose8x8(rows + 8L * ldb + p, ldb, panel + p * NR + 8);
                }
                for (; p < kc; p++)
                {
                    for (int j = 0; j < NR; j++)
                    {
                        panel[p * NR + j] = rows[(long)j * ldb + p];
                    }
                }
            }
            else
            {
                // op(B)(p, j) = B[j, p]: read rows of B contiguously, scatter with stride NR.
                for (int j = 0; j < NR; j++)
                {
                    if (j < nr)
                    {
                        float* src = b + (long)(jc + jr + j) * ldb + pc;
                        for (int p = 0; p < kc; p++)
                        {
                            panel[p * NR + j] = src[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            panel[p * NR + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>dst[p*NR + r] = src[r*ld + p] for an 8x8 block (dst rows 32-byte aligned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8(float* src, int ld, float* dst)
    {
        const int NR = Gemm.NR;
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + ld);
        var r2 = Avx.LoadVector256(src + 2L * ld);
        var r3 = Avx.LoadVector256(src + 3L * ld);
        var r4 = Avx.LoadVector256(src + 4L * ld);
        var r5 = Avx.LoadVector256(src + 5L * ld);
        var r6 = Avx.LoadVector256(src + 6L * ld);
        var r7 = Avx.LoadVector256(src + 7L * ld);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.StoreAligned(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.StoreAligned(dst + NR, Avx.Permute2x128(s1, s5, 0x20));
        Avx.StoreAligned(dst + 2 * NR, Avx.Permute2x128(s2, s6, 0x20));
        Avx.StoreAligned(dst + 3 * NR, Avx.Permute2x128(s3, s7, 0x20));
        Avx.StoreAligned(dst + 4 * NR, Avx.Permute2x128(s0, s4, 0x31));
        Avx.StoreAligned(dst + 5 * NR, Avx.Permute2x128(s1, s5, 0x31));
        Avx.StoreAligned(dst + 6 * NR, Avx.Permute2x128(s2, s6, 0x31));
        Avx.StoreAligned(dst + 7 * NR, Avx.Permute2x128(s3, s7, 0x31));
    }
}
