using System.Runtime.CompilerServices;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Unpacked products in five-row tiles (<see cref="GemmTile5x16"/>, <see cref="GemmTile5x32"/>) for A·B
/// (<see cref="GemmSmall.MultiplyNN"/>) and Aᵀ·B of small depth (<see cref="Gemm"/>'s weight
/// gradients): a batch of 10 or 50 rows, or 200 hidden units, splits into fives without a partial
/// tile. Each element is summed in the order of the six-row tiles, so the tiles chosen never change a
/// result.
/// </summary>
internal static unsafe class GemmFiveRows
{
    public const int Rows = 5;

    /// <summary>
    /// How many of m rows go first to six-row tiles so that the rest is a multiple of five (16 = 6 + 10);
    /// all of them when m is too small for that.
    /// </summary>
    public static int SixRowRows(int m)
    {
        int six = 6 * (m % Rows);
        return six <= m ? six : m % Rows;
    }

    /// <summary>
    /// C[0..m, j..end) (=|+=, scaled) op(A)·B in whole strips of 32 columns (wide) or 16, rows in
    /// five-row tiles after <see cref="SixRowRows"/>; row r's element p of op(A) at
    /// a[r·rowStride + p·kStride], B's rows ldb apart. Returns where the strips end: the columns past
    /// it are the caller's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Strips(bool wide, int m, int j, int end, int k, float* a, long rowStride, long kStride, float* b, long ldb, float* c, int ldc, bool add, float scale)
    {
        int six = SixRowRows(m);
        int width = wide ? 32 : 16;
        if (m - six < Rows)
        {
            return j;
        }
        float* edge = stackalloc float[Gemm.MR * Gemm.NR];
        // A strip of B comes from memory for its first tile and from L1 for the others: fetching ahead
        // pays when there are few others (the batch-10 input gradient), and costs load slots otherwise.
        long ahead = m - six <= 2 * Rows ? GemmSmall.PrefetchRows * ldb : 0;
        for (; j + width <= end; j += width)
        {
            for (int i = six; i < m; i += Rows)
            {
                float* pa = a + i * rowStride, pc = c + (long)i * ldc + j;
                if (wide)
                {
                    GemmTile5x32.Tile(k, pa, rowStride, kStride, b + j, ldb, pc, ldc, add, scale, ahead);
                }
                else
                {
                    GemmTile5x16.Tile(k, pa, rowStride, kStride, b + j, ldb, pc, ldc, add, scale, ahead);
                }
            }
            for (int i = 0; i < six; i += Gemm.MR)
            {
                for (int jj = j; jj < j + width; jj += Gemm.NR)
                {
                    GemmMicroKernel.Tile6x16Strided(k, a + i * rowStride, rowStride, kStride, Math.Min(Gemm.MR, six - i), Gemm.NR, b + jj, ldb, c + (long)i * ldc + jj, ldc, add, scale, edge);
                }
            }
        }
        return j;
    }
}
