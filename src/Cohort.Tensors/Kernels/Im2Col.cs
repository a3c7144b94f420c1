using System.Runtime.CompilerServices;
namespace Cohort.Tensors.Kernels;

/// <summary>Geometry of a 2-D convolution or pooling window over one [C, H, W] image.</summary>
internal readonly record struct ConvGeometry(int Channels, int Height, int Width, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    public int OutHeight => (Height + 2 * PadH - KernelH) / StrideH + 1;

    public int OutWidth => (Width + 2 * PadW - KernelW) / StrideW + 1;

    /// <summary>Rows of the column matrix: C·kh·kw.</summary>
    public int ColumnRows => Channels * KernelH * KernelW;

    /// <summary>Columns of the column matrix: OH·OW.</summary>
    public int ColumnCols => OutHeight * OutWidth;

    public bool IsValid => Channels > 0 && KernelH > 0 && KernelW > 0 && StrideH > 0 && StrideW > 0 && PadH >= 0 && PadW >= 0
        && Height + 2 * PadH >= KernelH && Width + 2 * PadW >= KernelW;
}

/// <summary>Unfolds image patches into a [C·kh·kw, OH·OW] matrix so that convolution is a GEMM, and folds gradients back.</summary>
internal static class Im2Col
{
    /// <summary>col[(c·kh + i)·kw + j, oh·OW + ow] = x[c, oh·s − p + i, ow·s − p + j], zero outside the image.</summary>
    public static void Unfold(in ConvGeometry g, ReadOnlySpan<float> image, Span<float> col) => Unfold(g, image, col, g.ColumnCols);

    /// <summary>
    /// As <see cref="Unfold(in ConvGeometry, ReadOnlySpan{float}, Span{float})"/> into rows <paramref name="ldCol"/> apart,
    /// so that a batch's samples sit side by side in one [C·kh·kw, N·OH·OW] matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfold(in ConvGeometry g, ReadOnlySpan<float> image, Span<float> col, int ldCol)
    {
        int oh = g.OutHeight, ow = g.OutWidth, hw = g.Height * g.Width;
        CheckColumns(g, col.Length, ldCol);
        CheckImage(g, image.Length);
        if (Im2ColPadded.Fits(g))
        {
            Im2ColPadded.Unfold(g, image, col, ldCol);
            return;
        }
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * hw, hw);
            for (int ki = 0; ki < g.KernelH; ki++)
            {
                for (int kj = 0; kj < g.KernelW; kj++, row++)
                {
                    var dst = col.Slice(row * ldCol, oh * ow);
                    for (int y = 0; y < oh; y++)
                    {
                        int iy = y * g.StrideH - g.PadH + ki;
                        var line = dst.Slice(y * ow, ow);
                        if ((uint)iy >= (uint)g.Height)
                        {
                            line.Clear();
                            continue;
                        }
                        var src = plane.Slice(iy * g.Width, g.Width);
                        int x0 = kj - g.PadW;
                        if (g.StrideW == 1)
                        {
                            // Contiguous: zero the left and right margins, copy the middle.
                            int lo = Math.Clamp(-x0, 0, ow);
                            int hi = Math.Clamp(g.Width - x0, lo, ow);
                            line[..lo].Clear();
                            src.Slice(x0 + lo, hi - lo).CopyTo(line[lo..hi]);
                            line[hi..].Clear();
                        }
                        else
                        {
                            for (int x = 0; x < ow; x++)
                            {
                                int ix = x * g.StrideW + x0;
                                line[x] = (uint)ix < (uint)g.Width ? src[ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Unfold(in ConvGeometry, ReadOnlySpan{float}, Span{float})"/>: image[c, iy, ix] += col[…] for every patch that covers it.</summary>
    public static void FoldAdd(in ConvGeometry g, ReadOnlySpan<float> col, Span<float> image) => FoldAdd(g, col, image, g.ColumnCols);

    /// <summary>The adjoint of the strided <see cref="Unfold(in ConvGeometry, ReadOnlySpan{float}, Span{float}, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldAdd(in ConvGeometry g, ReadOnlySpan<float> col, Span<float> image, int ldCol)
    {
        int oh = g.OutHeight, ow = g.OutWidth, hw = g.Height * g.Width;
        CheckColumns(g, col.Length, ldCol);
        CheckImage(g, image.Length);
        if (Im2ColPadded.Fits(g))
        {
            Im2ColPadded.FoldAdd(g, col, image, ldCol);
            return;
        }
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * hw, hw);
            for (int ki = 0; ki < g.KernelH; ki++)
            {
                for (int kj = 0; kj < g.KernelW; kj++, row++)
                {
                    var src = col.Slice(row * ldCol, oh * ow);
                    for (int y = 0; y < oh; y++)
                    {
                        int iy = y * g.StrideH - g.PadH + ki;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }
                        var line = src.Slice(y * ow, ow);
                        var dst = plane.Slice(iy * g.Width, g.Width);
                        int x0 = kj - g.PadW;
                        if (g.StrideW == 1)
                        {
                            // Contiguous: one vector add over the part of the line inside the image.
                            int lo = Math.Clamp(-x0, 0, ow);
                            int hi = Math.Clamp(g.Width - x0, lo, ow);
                            Streams.AddInto(line[lo..hi], dst.Slice(x0 + lo, hi - lo));
                            continue;
                        }
                        for (int x = 0; x < ow; x++)
                        {
                            int ix = x * g.StrideW + x0;
                            if ((uint)ix < (uint)g.Width)
                            {
                                dst[ix] += line[x];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void CheckImage(in ConvGeometry g, int length)
    {
        if (length < g.Channels * g.Height * g.Width)
        {
            throw new ArgumentException($"Im2Col: an image of {g.Channels}x{g.Height}x{g.Width} does not fit in {length} floats.");
        }
    }

    private static void CheckColumns(in ConvGeometry g, int length, int ldCol)
    {
        int rows = g.ColumnRows, cols = g.ColumnCols;
        if (ldCol < cols || (rows > 0 && (long)(rows - 1) * ldCol + cols > length))
        {
            throw new ArgumentException($"Im2Col: a {rows}x{cols} column matrix with row stride {ldCol} does not fit in {length} floats.");
        }
    }

    /// <summary>Scalar reference for <see cref="Unfold(in ConvGeometry, ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static void UnfoldReference(in ConvGeometry g, ReadOnlySpan<float> image, Span<float> col)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        for (int c = 0; c < g.Channels; c++)
        {
            for (int ki = 0; ki < g.KernelH; ki++)
            {
                for (int kj = 0; kj < g.KernelW; kj++)
                {
                    int row = (c * g.KernelH + ki) * g.KernelW + kj;
                    for (int y = 0; y < oh; y++)
                    {
                        for (int x = 0; x < ow; x++)
                        {
                            int iy = y * g.StrideH - g.PadH + ki, ix = x * g.StrideW - g.PadW + kj;
                            bool inside = iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
                            col[row * oh * ow + y * ow + x] = inside ? image[(c * g.Height + iy) * g.Width + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Scalar reference for <see cref="FoldAdd(in ConvGeometry, ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static void FoldAddReference(in ConvGeometry g, ReadOnlySpan<float> col, Span<float> image)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        for (int c = 0; c < g.Channels; c++)
        {
            for (int ki = 0; ki < g.KernelH; ki++)
            {
                for (int kj = 0; kj < g.KernelW; kj++)
                {
                    int row = (c * g.KernelH + ki) * g.KernelW + kj;
                    for (int y = 0; y < oh; y++)
                    {
                        for (int x = 0; x < ow; x++)
                        {
                            int iy = y * g.StrideH - g.PadH + ki, ix = x * g.StrideW - g.PadW + kj;
                            if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width)
                            {
                                image[(c * g.Height + iy) * g.Width + ix] += col[row * oh * ow + y * ow + x];
                            }
                        }
                    }
                }
            }
        }
    }
}
