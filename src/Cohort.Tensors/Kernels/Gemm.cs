using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Single-precision matrix multiply, row-major: C = op(A)·op(B), or C += op(A)·op(B).
/// Packed and register-blocked (6x16 FMA micro-kernel, BLIS-style loops); each output element is
/// summed in the same order whatever the thread count, so results are reproducible.
/// </summary>
internal static unsafe class Gemm
{
    internal const int MR = 6;
    internal const int NR = 16;
    internal const int KC = 256;
    internal const int MC = 120;
    internal const int NC = 3072;

    /// <summary>The deepest product <see cref="MultiplyAddScaled"/> takes (one k-block).</summary>
    public const int ScaledUpdateMaxDepth = KC;

    /// <summary>Up to this depth a tile's update is bound by moving C, not by arithmetic.</summary>
    private const int ShortK = 32;

    /// <summary>
    /// Up to this many columns of C, A is read where it lies instead of packed: a packed panel would
    /// serve only a few column tiles, and packing cost as much as their arithmetic (Winograd's
    /// [tiles × 32]·[32 × 64] products).
    /// </summary>
    internal const int UnpackedAMaxColumns = 4 * NR;

    /// <summary>
    /// Aᵀ·B of small depth (a weight gradient over a batch) reads neither operand packed when all of A
    /// stays in L1 across the column tiles and C in L2: a tile's rows of Aᵀ are neighbours in memory,
    /// B's strip of k rows stays in L1 across the row tiles, and packing cost more than it saved
    /// (the 2NN's [200 × 50]·[50 × 784]). Bigger products keep the packed loops' blocking.
    /// </summary>
    private static bool ReadsTransposedUnpacked(bool transA, int m, int n, int k) =>
        transA && k <= 64 && n > UnpackedAMaxColumns && (long)m * k <= 12 * 1024 && (long)m * n <= 256 * 1024;

    /// <summary>C[m,n] (=|+=) op(A)[m,k] · op(B)[k,n]; op transposes when the flag is set.</summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate,
        int threads = 1)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }
            return;
        }
        if (!Fma.IsSupported || !Avx.IsSupported)
        {
            GemmReference.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            // The path depends on the shape only, never on the thread count.
            if (!transA && transB && (m <= GemmSmall.MaxDotRows || n <= GemmSmall.MaxDotColumns))
            {
                Run(new UnpackedJob(true, m, k, pa, lda, pb, ldb, pc, ldc, accumulate), m, n, k, threads, UnpackedStrip);
                return;
            }
            if (!transA && !transB && GemmSmall.PrefersUnpacked(m))
            {
                Run(new UnpackedJob(false, m, k, pa, lda, pb, ldb, pc, ldc, accumulate), m, n, k, threads, UnpackedStrip);
                return;
            }
            Run(new Job(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate), m, n, k, threads, NR);
        }
    }

    /// <summary>
    /// C[m,n] += scale·(op(A)·op(B)) with k ≤ 256: each element's product is formed in full (as
    /// <see cref="Multiply"/> would write it into cleared memory), then scaled and added, c + scale·p,
    /// so that the result equals an SGD step θ += −η·g on the gradient g the product would have
    /// written, bit for bit. The backward pass applies plain SGD to a layer's weight this way.
    /// </summary>
    public static void MultiplyAddScaled(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        float scale,
        int threads = 1)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (k > ScaledUpdateMaxDepth)
        {
            throw new ArgumentException($"Gemm: a scaled update needs k <= {ScaledUpdateMaxDepth}, got {k}.");
        }
        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }
        if (!Fma.IsSupported || !Avx.IsSupported)
        {
            GemmReference.MultiplyAddScaled(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, scale);
            return;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Run(new Job(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate: true, scale), m, n, k, threads, NR);
        }
    }

    /// <summary>A product's work over a range of C's columns.</summary>
    private interface IColumnJob
    {
        void Run(int j0, int j1);
    }

    /// <summary>
    /// Runs a product on one thread, or on several for a product big enough to share, each over a range
    /// of whole units of columns (tiles or strips): each element is summed in the same order whichever
    /// thread computes it, so the bits do not change.
    /// </summary>
    private static void Run<TJob>(TJob job, int m, int n, int k, int threads, int unit)
        where TJob : struct, IColumnJob
    {
        int units = (n + unit - 1) / unit;
        int workers = Math.Max(1, Math.Min(threads, units));
        if (workers == 1 || (long)m * n * k < 1L << 18)
        {
            job.Run(0, n);
        }
        else
        {
            RunParallel(job, n, units, unit, workers);
        }
    }

    // Kept apart so that the closure is only allocated when threads are used.
    private static void RunParallel<TJob>(TJob job, int n, int units, int unit, int workers)
        where TJob : struct, IColumnJob
    {
        int perWorker = (units + workers - 1) / workers * unit;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int j0 = w * perWorker, j1 = Math.Min(n, j0 + perWorker);
            if (j0 < j1)
            {
                job.Run(j0, j1);
            }
        });
    }

    /// <summary>Unpacked products split their columns by whole strips of the widest tile.</summary>
    private const int UnpackedStrip = 32;

    /// <summary>Columns [j0, j1) of the unpacked A·Bᵀ (dot products: B's rows are C's columns) or A·B.</summary>
    private readonly struct UnpackedJob(bool dot, int m, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate) : IColumnJob
    {
        public void Run(int j0, int j1)
        {
            if (dot)
            {
                GemmSmall.MultiplyNT(m, j1 - j0, k, a, lda, b + (long)j0 * ldb, ldb, c + j0, ldc, accumulate);
            }
            else
            {
                GemmSmall.MultiplyNN(m, j1 - j0, k, a, lda, b + j0, ldb, c + j0, ldc, accumulate);
            }
        }
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"Gemm: negative size m={m}, n={n}, k={k}.");
        }
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckMatrix("A", aRows, aCols, aLength, lda);
        CheckMatrix("B", bRows, bCols, bLength, ldb);
        CheckMatrix("C", m, n, cLength, ldc);
    }

    private static void CheckMatrix(string name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }
        if (ld < cols)
        {
            throw new ArgumentException($"Gemm: leading dimension of {name} ({ld}) is smaller than its {cols} columns.");
        }
        if ((long)(rows - 1) * ld + cols > length)
        {
            throw new ArgumentException($"Gemm: {name} is {rows}x{cols} with leading dimension {ld} but its buffer holds only {length} floats.");
        }
    }

    private readonly struct Job : IColumnJob
    {
        private readonly bool _transA, _transB, _accumulate;
        private readonly int _m, _n, _k, _lda, _ldb, _ldc;
        private readonly float* _a, _b, _c;
        private readonly float _scale;

        public Job(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float scale = 1f)
        {
            _transA = transA; _transB = transB; _m = m; _n = n; _k = k;
            _a = a; _lda = lda; _b = b; _ldb = ldb; _c = c; _ldc = ldc; _accumulate = accumulate; _scale = scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int jStart, int jEnd)
        {
            var scratch = PackBuffers.ForThread();
            float* packA = scratch.A;
            float* packB = scratch.B;
            if (!_transB && (_n <= UnpackedAMaxColumns || ReadsTransposedUnpacked(_transA, _m, _n, _k)))
            {
                long rowStride = _transA ? 1 : _lda, kStride = _transA ? _lda : 1;
                for (int pc = 0; pc < _k; pc += KC)
                {
                    int kc = Math.Min(KC, _k - pc);
                    MacroUnpacked(_m, jStart, jEnd, kc, _a + pc * kStride, rowStride, kStride, _b + (long)pc * _ldb, _ldb, packB, _c, _ldc, _accumulate || pc > 0, _scale);
                }
                return;
            }
            for (int jc = jStart; jc < jEnd; jc += NC)
            {
                int nc = Math.Min(NC, jEnd - jc);
                for (int pc = 0; pc < _k; pc += KC)
                {
                    int kc = Math.Min(KC, _k - pc);
                    bool add = _accumulate || pc > 0;
                    GemmPacking.PackB(_transB, _b, _ldb, pc, jc, kc, nc, packB);
                    if (_n <= UnpackedAMaxColumns)
                    {
                        float* block = _transA ? _a + (long)pc * _lda : _a + pc;
                        MacroUnpackedA(_m, nc, kc, block, _transA ? 1 : _lda, _transA ? _lda : 1, packB, _c + jc, _ldc, add, _scale);
                        continue;
                    }
                    for (int ic = 0; ic < _m; ic += MC)
                    {
                        int mc = Math.Min(MC, _m - ic);
                        GemmPacking.PackA(_transA, _a, _lda, ic, pc, mc, kc, packA);
                        Macro(mc, nc, kc, packA, packB, _c + (long)ic * _ldc + jc, _ldc, add, _scale);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Macro(int mc, int nc, int kc, float* packA, float* packB, float* c, int ldc, bool add, float scale)
        {
            float* edge = stackalloc float[MR * NR];
            if (kc <= ShortK)
            {
                // Little arithmetic per tile: walk C along its rows so that its lines stream in order.
                for (int ir = 0; ir < mc; ir += MR)
                {
                    for (int jr = 0; jr < nc; jr += NR)
                    {
                        Tile(ir, jr, mc, nc, kc, packA, packB, c, ldc, add, scale, edge);
                    }
                }
                return;
            }
            for (int jr = 0; jr < nc; jr += NR)
            {
                for (int ir = 0; ir < mc; ir += MR)
                {
                    Tile(ir, jr, mc, nc, kc, packA, packB, c, ldc, add, scale, edge);
                }
            }
        }

        /// <summary>Row block by row block, so a block's rows of A stay in L1 across the few column tiles.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MacroUnpackedA(int m, int nc, int kc, float* a, long rowStride, long kStride, float* packB, float* c, int ldc, bool add, float scale)
        {
            float* edge = stackalloc float[MR * NR];
            for (int ir = 0; ir < m; ir += MR)
            {
                int mr = Math.Min(MR, m - ir);
                float* pa = a + ir * rowStride;
                for (int jr = 0; jr < nc; jr += NR)
                {
                    int nr = Math.Min(NR, nc - jr);
                    GemmMicroKernel.Tile6x16Strided(kc, pa, rowStride, kStride, mr, nr, packB + (long)jr * kc, NR, c + (long)ir * ldc + jr, ldc, add, scale, edge);
                }
            }
        }

        /// <summary>
        /// op(A)·B with both read where they lie (row r's element p of op(A) at a[r·rowStride + p·kStride]),
        /// column strip by column strip, so that B's strip stays in L1 across the row tiles: five-row
        /// tiles (32 columns where there are the registers for them, then 16), then 6x16 tiles; a last
        /// partial column tile is packed, zero-padded, so no read passes B's end.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MacroUnpacked(int m, int jStart, int jEnd, int k, float* a, long rowStride, long kStride, float* b, int ldb, float* packB, float* c, int ldc, bool add, float scale)
        {
            float* edge = stackalloc float[MR * NR];
            int fullEnd = jStart + (jEnd - jStart) / NR * NR;
            if (fullEnd < jEnd)
            {
                GemmPacking.PackB(false, b, ldb, 0, fullEnd, k, jEnd - fullEnd, packB);
            }
            int jr = jStart;
            if (WideTiles.Enabled)
            {
                jr = GemmFiveRows.Strips(true, m, jr, fullEnd, k, a, rowStride, kStride, b, ldb, c, ldc, add, scale);
            }
            jr = GemmFiveRows.Strips(false, m, jr, fullEnd, k, a, rowStride, kStride, b, ldb, c, ldc, add, scale);
            for (; jr < jEnd; jr += NR)
            {
                int nr = Math.Min(NR, jEnd - jr);
                bool packed = jr >= fullEnd;
                float* pb = packed ? packB : b + jr;
                long bStride = packed ? NR : ldb;
                for (int ir = 0; ir < m; ir += MR)
                {
                    GemmMicroKernel.Tile6x16Strided(k, a + ir * rowStride, rowStride, kStride, Math.Min(MR, m - ir), nr, pb, bStride, c + (long)ir * ldc + jr, ldc, add, scale, edge);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Tile(int ir, int jr, int mc, int nc, int kc, float* packA, float* packB, float* c, int ldc, bool add, float scale, float* edge)
        {
            int nr = Math.Min(NR, nc - jr), mr = Math.Min(MR, mc - ir);
            float* pb = packB + (long)jr * kc;
            float* pa = packA + (long)ir * kc;
            float* pc = c + (long)ir * ldc + jr;
            if (mr == MR && nr == NR)
            {
                GemmMicroKernel.Kernel6x16(kc, pa, pb, pc, ldc, add, scale);
                return;
            }
            GemmMicroKernel.Kernel6x16(kc, pa, pb, edge, NR, false, 1f);
            GemmMicroKernel.StoreEdge(edge, mr, nr, pc, ldc, add, scale);
        }
    }

    /// <summary>Per-thread packing buffers, 32-byte aligned, kept for the thread's lifetime.</summary>
    private sealed class PackBuffers
    {
        [ThreadStatic]
        private static PackBuffers? t_current;

        private readonly float[] _a = GC.AllocateUninitializedArray<float>(MC * KC + 8, pinned: true);
        private readonly float[] _b = GC.AllocateUninitializedArray<float>(NC * KC + 8, pinned: true);

        public float* A => Align(_a);

        public float* B => Align(_b);

        public static PackBuffers ForThread() => t_current ??= new PackBuffers();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float* Align(float[] array)
        {
            var p = (nint)Unsafe.AsPointer(ref array[0]);
            return (float*)((p + 31) & ~(nint)31);
        }
    }
}
