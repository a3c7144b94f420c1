using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the micro-panel layouts the micro-kernel streams through, zero-padding the edges.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] as panels of MR rows: panel[p*MR + r].</summary>
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
}
