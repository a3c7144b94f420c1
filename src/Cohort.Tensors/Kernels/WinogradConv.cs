using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Convolution forward and backward by Winograd F(4x4, 5x5) with PyTorch's layouts (x [N, C, H, W],
/// weight [O, C, 5, 5]). The backward pass is the exact transpose of the forward transforms, so the
/// gradients are those of the convolution up to rounding. Summation orders depend on the shape only.
/// </summary>
internal static unsafe class WinogradConv
{
    private const int Planes = WinogradTransforms.Planes;

    private const int Edge = WinogradTransforms.TileSize;

    private static readonly float[] s_filterMatrix = WinogradTransforms.FilterMatrix();

    /// <summary>
    /// y = conv(x, w) + bias. <paramref name="transformedInput"/> ([64, tiles, C]) and
    /// <paramref name="filters"/> ([64, O, C]) are kept for <see cref="Backward"/>; the rest is scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(
        in WinogradPlan plan, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> transformedInput, Span<float> filters, Span<float> filtersTransposed, Span<float> padded, Span<float> products,
        Span<float> outputTiles, Span<float> y, int threads = 1)
    {
        var g = plan.Conv;
        int c = g.Channels, o = plan.OutChannels, tiles = plan.Tiles;
        Check(plan, transformedInput.Length >= plan.InputFloats && filters.Length >= plan.FilterFloats
            && filtersTransposed.Length >= plan.FilterFloats && padded.Length >= plan.PaddedFloats
            && products.Length >= plan.ProductFloats && outputTiles.Length >= plan.OutputTileFloats && x.Length >= plan.Batch * c * g.Height * g.Width
            && w.Length >= o * c * 25 && y.Length >= plan.Batch * o * g.OutHeight * g.OutWidth && (bias.IsEmpty || bias.Length == o));
        // Filters: Y [O·C, 64] = w [O·C, 25] · K [64, 25]ᵀ (a tall product the GEMM runs at speed; Y lives in
        // filtersTransposed for the moment), then filters [64, O·C] = Yᵀ and each plane transposed for the forward product.
        Gemm.Multiply(false, true, o * c, Planes, 25, w, 25, s_filterMatrix, 25, filtersTransposed, Planes, false, threads);
        fixed (float* py = filtersTransposed)
        fixed (float* pf = filters)
        {
            ChannelsLast.FromChannelsFirst(py, o * c, 1, Planes, pf, Planes, 0, 0);
            for (int xi = 0; xi < Planes; xi++)
            {
                ChannelsLast.FromChannelsFirst(pf + (long)xi * o * c, o, 1, c, py + (long)xi * o * c, c, 0, 0);
            }
        }
        int tileRows = Edge * plan.TilesH, tileCols = Edge * plan.TilesW, plane = g.OutHeight * g.OutWidth;
        int paddedSample = plan.PaddedH * plan.PaddedW * c, tileSample = tileRows * tileCols * o;
        fixed (float* px = x)
        fixed (float* pp = padded)
        fixed (float* pv = transformedInput)
        fixed (float* pm = products)
        fixed (float* pt = outputTiles)
        fixed (float* py = y)
        fixed (float* pb = bias)
        {
            // Chunk by chunk: its transformed input and products stay in cache from one step to the next.
            for (int s0 = 0; s0 < plan.Batch; s0 += plan.ChunkSamples)
            {
                int samples = Math.Min(plan.ChunkSamples, plan.Batch - s0), chunkTiles = samples * plan.SampleTiles;
                int t0 = s0 * plan.SampleTiles;
                padded[..(samples * paddedSample)].Clear();
                for (int s = 0; s < samples; s++)
                {
                    ChannelsLast.FromChannelsFirst(px + (long)(s0 + s) * c * g.Height * g.Width, c, g.Height, g.Width,
                        pp + (long)s * paddedSample, plan.PaddedW, g.PadH, g.PadW);
                }
                TransformInput(plan, pp, chunkTiles, pv + (long)t0 * c, (long)tiles * c);
                for (int xi = 0; xi < Planes; xi++)
                {
                    Gemm.Multiply(false, false, chunkTiles, o, c, transformedInput[((xi * tiles + t0) * c)..], c, filtersTransposed[(xi * c * o)..], o,
                        products[(xi * chunkTiles * o)..], o, false, threads);
                }
                TransformOutput(plan, pm, chunkTiles, pt);
                for (int s = 0; s < samples; s++)
                {
                    ChannelsLast.ToChannelsFirst(pt + (long)s * tileSample, tileCols, 0, 0, o, g.OutHeight, g.OutWidth,
                        py + (long)(s0 + s) * o * plane, pb, add: false);
                }
            }
        }
    }

    /// <summary>
    /// Accumulates the gradients: dw += ∂/∂w, dbias += ∂/∂bias, dx += ∂/∂x (each skipped when empty),
    /// from dy and the tensors <see cref="Forward"/> kept. The scratch spans are as large as the plan says.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(
        in WinogradPlan plan, ReadOnlySpan<float> dy, ReadOnlySpan<float> transformedInput, ReadOnlySpan<float> filters,
        Span<float> dw, Span<float> dbias, Span<float> dx,
        Span<float> productGrads, Span<float> filterGrads, Span<float> inputGrads, Span<float> padded, Span<float> outputTiles, int threads = 1)
    {
        var g = plan.Conv;
        int c = g.Channels, o = plan.OutChannels, tiles = plan.Tiles, plane = g.OutHeight * g.OutWidth;
        Check(plan, dy.Length >= plan.Batch * o * plane && transformedInput.Length >= plan.InputFloats
            && filters.Length >= plan.FilterFloats && productGrads.Length >= plan.ProductFloats && outputTiles.Length >= plan.OutputTileFloats
            && (dw.IsEmpty || (dw.Length == o * c * 25 && filterGrads.Length >= plan.FilterFloats)) && (dbias.IsEmpty || dbias.Length == o)
            && (dx.IsEmpty || (dx.Length == plan.Batch * c * g.Height * g.Width && inputGrads.Length >= plan.InputGradFloats && padded.Length >= plan.PaddedFloats)));
        if (!dbias.IsEmpty)
        {
            for (int oc = 0; oc < o; oc++)
            {
                double sum = 0;
                for (int s = 0; s < plan.Batch; s++)
                {
                    sum += Reductions.Sum(dy.Slice((s * o + oc) * plane, plane));
                }
                dbias[oc] += (float)sum;
            }
        }
        if (dw.IsEmpty && dx.IsEmpty)
        {
            return;
        }
        int tileRows = Edge * plan.TilesH, tileCols = Edge * plan.TilesW;
        int paddedSample = plan.PaddedH * plan.PaddedW * c, tileSample = tileRows * tileCols * o;
        fixed (float* pdy = dy)
        fixed (float* pt = outputTiles)
        fixed (float* pdm = productGrads)
        fixed (float* pv = inputGrads)
        fixed (float* pp = padded)
        fixed (float* pdx = dx)
        {
            for (int s0 = 0; s0 < plan.Batch; s0 += plan.ChunkSamples)
            {
                int samples = Math.Min(plan.ChunkSamples, plan.Batch - s0), chunkTiles = samples * plan.SampleTiles;
                int t0 = s0 * plan.SampleTiles;
                if (tileRows != g.OutHeight || tileCols != g.OutWidth)
                {
                    // Tiles overhanging the output see zero gradients there.
                    outputTiles[..(samples * tileSample)].Clear();
                }
                for (int s = 0; s < samples; s++)
                {
                    ChannelsLast.FromChannelsFirst(pdy + (long)(s0 + s) * o * plane, o, g.OutHeight, g.OutWidth,
                        pt + (long)s * tileSample, tileCols, 0, 0);
                }
                TransformOutputGradient(plan, pt, chunkTiles, pdm);
                if (!dw.IsEmpty)
                {
                    // dU accumulates over the chunks, in chunk order.
                    for (int xi = 0; xi < Planes; xi++)
                    {
                        Gemm.Multiply(true, false, o, c, chunkTiles, productGrads[(xi * chunkTiles * o)..], o, transformedInput[((xi * tiles + t0) * c)..], c,
                            filterGrads[(xi * o * c)..], c, s0 > 0, threads);
                    }
                }
                if (!dx.IsEmpty)
                {
                    for (int xi = 0; xi < Planes; xi++)
                    {
                        Gemm.Multiply(false, false, chunkTiles, c, o, productGrads[(xi * chunkTiles * o)..], o, filters[(xi * o * c)..], c,
                            inputGrads[(xi * chunkTiles * c)..], c, false, threads);
                    }
                    padded[..(samples * paddedSample)].Clear();
                    TransformInputGradient(plan, pv, chunkTiles, pp);
                    for (int s = 0; s < samples; s++)
                    {
                        ChannelsLast.ToChannelsFirst(pp + (long)s * paddedSample, plan.PaddedW, g.PadH, g.PadW, c, g.Height, g.Width,
                            pdx + (long)(s0 + s) * c * g.Height * g.Width, null, add: true);
                    }
                }
            }
        }
        if (!dw.IsEmpty)
        {
            // dw[O·C, 25] += dU[64, O·C]ᵀ · K [64, 25].
            Gemm.Multiply(true, false, o * c, 25, Planes, filterGrads, o * c, s_filterMatrix, 25, dw, 25, true, threads);
        }
    }

    private static void Check(in WinogradPlan plan, bool ok)
    {
        if (!ok)
        {
            throw new ArgumentException($"WinogradConv: a buffer is too small for {plan.Batch} samples of {plan.Conv} with {plan.OutChannels} output channels.");
        }
    }

    /// <summary>V[ξ, t, c] = (Bᵀ·d·B)[ξ] for each of a chunk's tiles t and its 8x8 window d, eight channels at a time; planes lie <paramref name="plane"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInput(in WinogradPlan plan, float* padded, int tiles, float* v, long plane)
    {
        const int A = WinogradTransforms.Alpha;
        int c = plan.Conv.Channels, rowStride = plan.PaddedW * c;
        Vector256<float>* window = stackalloc Vector256<float>[Planes];
        Vector256<float>* rows = stackalloc Vector256<float>[Planes];
        Vector256<float>* outs = stackalloc Vector256<float>[Planes];
        for (int t = 0; t < tiles; t++)
        {
            float* corner = padded + plan.WindowPixel(t) * c;
            for (int cb = 0; cb < c; cb += 8)
            {
                for (int i = 0; i < A; i++)
                {
                    float* line = corner + i * rowStride + cb;
                    for (int j = 0; j < A; j++)
                    {
                        window[i * A + j] = Avx.LoadVector256(line + j * c);
                    }
                    WinogradTransforms.InputRow(window + i * A, 1, rows + i * A, 1);
                }
                // Columns: outs[p, q] = (Bᵀ·rows[:, q])ₚ.
                for (int q = 0; q < A; q++)
                {
                    WinogradTransforms.InputRow(rows + q, A, outs + q, A);
                }
                float* dst = v + (long)t * c + cb;
                StorePlanes(outs, dst, plane);
            }
        }
    }

    /// <summary>dx tiles: padded[window of t] += (B·dV·Bᵀ), the transpose of <see cref="TransformInput"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputGradient(in WinogradPlan plan, float* dv, int tiles, float* padded)
    {
        const int A = WinogradTransforms.Alpha;
        int c = plan.Conv.Channels, rowStride = plan.PaddedW * c;
        long plane = (long)tiles * c;
        Vector256<float>* ins = stackalloc Vector256<float>[Planes];
        Vector256<float>* rows = stackalloc Vector256<float>[Planes];
        Vector256<float>* outs = stackalloc Vector256<float>[Planes];
        for (int t = 0; t < tiles; t++)
        {
            float* corner = padded + plan.WindowPixel(t) * c;
            for (int cb = 0; cb < c; cb += 8)
            {
                float* src = dv + (long)t * c + cb;
                LoadPlanes(src, plane, ins);
                // rows[p, j] = (B·dV[p, :])ⱼ, then outs[i, j] = (B·rows[:, j])ᵢ.
                for (int p = 0; p < A; p++)
                {
                    WinogradTransforms.InputRowTransposed(ins + p * A, 1, rows + p * A, 1);
                }
                for (int j = 0; j < A; j++)
                {
                    WinogradTransforms.InputRowTransposed(rows + j, A, outs + j, A);
                }
                for (int i = 0; i < A; i++)
                {
                    float* line = corner + i * rowStride + cb;
                    for (int j = 0; j < A; j++)
                    {
                        Avx.Store(line + j * c, Avx.Add(Avx.LoadVector256(line + j * c), outs[i * A + j]));
                    }
                }
            }
        }
    }

    /// <summary>tiles[n, 4ty + r, 4tx + s, o] = (Aᵀ·M·A)[r, s], eight output channels at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutput(in WinogradPlan plan, float* m, int tiles, float* outputTiles)
    {
        const int A = WinogradTransforms.Alpha;
        int o = plan.OutChannels, rowStride = Edge * plan.TilesW * o;
        long stride = (long)tiles * o;
        Vector256<float>* ins = stackalloc Vector256<float>[Planes];
        Vector256<float>* half = stackalloc Vector256<float>[A * Edge];
        Vector256<float>* ys = stackalloc Vector256<float>[Edge * Edge];
        for (int t = 0; t < tiles; t++)
        {
            float* dst = outputTiles + plan.OutputTilePixel(t) * o;
            for (int ob = 0; ob < o; ob += 8)
            {
                float* src = m + (long)t * o + ob;
                LoadPlanes(src, stride, ins);
                // half[p, s] = (M[p, :]·A)ₛ, then ys[r, s] = (Aᵀ·half[:, s])ᵣ.
                for (int p = 0; p < A; p++)
                {
                    WinogradTransforms.OutputRow(ins + p * A, 1, half + p * Edge, 1);
                }
                for (int col = 0; col < Edge; col++)
                {
                    WinogradTransforms.OutputRow(half + col, Edge, ys + col, Edge);
                }
                for (int r = 0; r < Edge; r++)
                {
                    float* line = dst + r * rowStride + ob;
                    for (int col = 0; col < Edge; col++)
                    {
                        Avx.Store(line + col * o, ys[r * Edge + col]);
                    }
                }
            }
        }
    }

    /// <summary>dM[ξ, t, o] = (A·dY·Aᵀ)[ξ] for each tile's 4x4 output gradient, read channels last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformOutputGradient(in WinogradPlan plan, float* outputTiles, int tiles, float* dm)
    {
        const int A = WinogradTransforms.Alpha;
        int o = plan.OutChannels, rowStride = Edge * plan.TilesW * o;
        long stride = (long)tiles * o;
        Vector256<float>* dy = stackalloc Vector256<float>[Edge * Edge];
        Vector256<float>* rows = stackalloc Vector256<float>[Edge * A];
        Vector256<float>* outs = stackalloc Vector256<float>[Planes];
        for (int t = 0; t < tiles; t++)
        {
            float* src = outputTiles + plan.OutputTilePixel(t) * o;
            for (int ob = 0; ob < o; ob += 8)
            {
                for (int r = 0; r < Edge; r++)
                {
                    float* line = src + r * rowStride + ob;
                    for (int col = 0; col < Edge; col++)
                    {
                        dy[r * Edge + col] = Avx.LoadVector256(line + col * o);
                    }
                }
                // rows[r, q] = (A·dY[r, :])_q, then outs[p, q] = (A·rows[:, q])ₚ.
                for (int r = 0; r < Edge; r++)
                {
                    WinogradTransforms.OutputRowTransposed(dy + r * Edge, 1, rows + r * A, 1);
                }
                for (int q = 0; q < A; q++)
                {
                    WinogradTransforms.OutputRowTransposed(rows + q, A, outs + q, A);
                }
                float* dst = dm + (long)t * o + ob;
                StorePlanes(outs, dst, stride);
            }
        }
    }

    /// <summary>Eight channels of one tile from each of the 64 planes, planes <paramref name="stride"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadPlanes(float* src, long stride, Vector256<float>* v)
    {
        for (int xi = 0; xi < Planes; xi++)
        {
            v[xi] = Avx.LoadVector256(src + xi * stride);
        }
    }

    /// <summary>Eight channels of one tile into each of the 64 planes, planes <paramref name="stride"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePlanes(Vector256<float>* v, float* dst, long stride)
    {
        for (int xi = 0; xi < Planes; xi++)
        {
            Avx.Store(dst + xi * stride, v[xi]);
        }
    }
}
