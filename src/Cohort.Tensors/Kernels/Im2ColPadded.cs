using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Unit-stride im2col and col2im through one zero-padded plane on the stack: every line of the
/// column matrix is then a plain copy (or add) of OW floats, with no clipping at the borders.
/// </summary>
internal static unsafe class Im2ColPadded
{
    /// <summary>Largest padded plane, in floats, kept on the stack.</summary>
    private const int MaxPlane = 8192;

    public static bool Fits(in ConvGeometry g) =>
        g.StrideH == 1 && g.StrideW == 1 && (g.Height + 2 * g.PadH) * (g.Width + 2 * g.PadW) <= MaxPlane && g.OutWidth >= 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfold(in ConvGeometry g, ReadOnlySpan<float> image, Span<float> col, int ldCol)
    {
        int oh = g.OutHeight, ow = g.OutWidth, wp = g.Width + 2 * g.PadW, hp = g.Height + 2 * g.PadH, hw = g.Height * g.Width;
        float* padded = stackalloc float[hp * wp];
        new Span<float>(padded, hp * wp).Clear();
        fixed (float* pimage = image)
        fixed (float* pcol = col)
        {
            int row = 0;
            for (int c = 0; c < g.Channels; c++)
            {
                // Interior of the padded plane; the margins stay zero.
                for (int y = 0; y < g.Height; y++)
                {
                    new ReadOnlySpan<float>(pimage + (long)c * hw + y * g.Width, g.Width).CopyTo(new Span<float>(padded + (y + g.PadH) * wp + g.PadW, g.Width));
                }
                for (int ki = 0; ki < g.KernelH; ki++)
                {
                    for (int kj = 0; kj < g.KernelW; kj++, row++)
                    {
                        float* dst = pcol + (long)row * ldCol;
                        float* src = padded + ki * wp + kj;
                        for (int y = 0; y < oh; y++)
                        {
                            CopyLine(src + y * wp, dst + y * ow, ow);
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldAdd(in ConvGeometry g, ReadOnlySpan<float> col, Span<float> image, int ldCol)
    {
        int oh = g.OutHeight, ow = g.OutWidth, wp = g.Width + 2 * g.PadW, hp = g.Height + 2 * g.PadH, hw = g.Height * g.Width;
        float* padded = stackalloc float[hp * wp];
        fixed (float* pimage = image)
        fixed (float* pcol = col)
        {
            int row = 0;
            for (int c = 0; c < g.Channels; c++)
            {
                new Span<float>(padded, hp * wp).Clear();
                for (int ki = 0; ki < g.KernelH; ki++)
                {
                    for (int kj = 0; kj < g.KernelW; kj++, row++)
                    {
                        float* src = pcol + (long)row * ldCol;
                        float* dst = padded + ki * wp + kj;
                        for (int y = 0; y < oh; y++)
                        {
                            AddLine(src + y * ow, dst + y * wp, ow);
                        }
                    }
                }
                for (int y = 0; y < g.Height; y++)
                {
                    AddLine(padded + (y + g.PadH) * wp + g.PadW, pimage + (long)c * hw + y * g.Width, g.Width);
                }
            }
        }
    }

    /// <summary>Copies n ≥ 8 floats; the last vector overlaps the previous one instead of a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyLine(float* src, float* dst, int n)
    {
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            Vector256.Store(Vector256.Load(src + i), dst + i);
        }
        if (i < n)
        {
            Vector256.Store(Vector256.Load(src + n - 8), dst + n - 8);
        }
    }

    /// <summary>dst[0..n) += src[0..n), each element once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLine(float* src, float* dst, int n)
    {
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        }
        if (i + 4 <= n)
        {
            Vector128.Store(Vector128.Load(dst + i) + Vector128.Load(src + i), dst + i);
            i += 4;
        }
        for (; i < n; i++)
        {
            dst[i] += src[i];
        }
    }
}
