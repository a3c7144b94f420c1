using System.Runtime.CompilerServices;
namespace Cohort.Tensors.Kernels;

/// <summary>Max and average pooling over planes of [H, W]; the geometry's channel count is ignored (planes are counted by the caller).</summary>
internal static class Pooling
{
    /// <summary>y = max over each window; argmax holds the winning input index within its plane (first maximum wins).</summary>
    public static void MaxForward(in ConvGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        if (MaxPool2x2.Fits(g))
        {
            MaxPool2x2.Forward(g.Height, g.Width, planes, x, y, argmax);
            return;
        }
        MaxForwardReference(g, planes, x, y, argmax);
    }

    /// <summary>Scalar reference for <see cref="MaxForward"/>, and its path for any window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxForwardReference(in ConvGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int needed = planes * g.OutHeight * g.OutWidth;
        if (x.Length < planes * g.Height * g.Width || y.Length < needed || argmax.Length < needed)
        {
            throw new ArgumentException($"Max pooling of {planes} planes of {g.Height}x{g.Width}: buffers too small ({x.Length}, {y.Length}, {argmax.Length}).");
        }
        int oh = g.OutHeight, ow = g.OutWidth, inPlane = g.Height * g.Width, outPlane = oh * ow;
        for (int p = 0; p < planes; p++)
        {
            var xp = x.Slice(p * inPlane, inPlane);
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    float best = float.NegativeInfinity;
                    int bestIndex = -1;
                    for (int ki = 0; ki < g.KernelH; ki++)
                    {
                        int iy = oy * g.StrideH - g.PadH + ki;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }
                        for (int kj = 0; kj < g.KernelW; kj++)
                        {
                            int ix = ox * g.StrideW - g.PadW + kj;
                            if ((uint)ix >= (uint)g.Width)
                            {
                                continue;
                            }
                            float v = xp[iy * g.Width + ix];
                            if (v > best || bestIndex < 0 || float.IsNaN(v))
                            {
                                best = v;
                                bestIndex = iy * g.Width + ix;
                            }
                        }
                    }
                    int o = p * outPlane + oy * ow + ox;
                    y[o] = best;
                    argmax[o] = bestIndex;
                }
            }
        }
    }

    /// <summary>dx[argmax] += dy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxBackward(int planes, int inPlane, int outPlane, ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        for (int p = 0; p < planes; p++)
        {
            var dxp = dx.Slice(p * inPlane, inPlane);
            for (int o = p * outPlane, end = o + outPlane; o < end; o++)
            {
                dxp[argmax[o]] += dy[o];
            }
        }
    }

    /// <summary>y = mean over each window, padding counted as zeros.</summary>
    public static void AverageForward(in ConvGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y)
    {
        int oh = g.OutHeight, ow = g.OutWidth, inPlane = g.Height * g.Width;
        float scale = 1f / (g.KernelH * g.KernelW);
        for (int p = 0; p < planes; p++)
        {
            var xp = x.Slice(p * inPlane, inPlane);
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    float sum = 0f;
                    for (int ki = 0; ki < g.KernelH; ki++)
                    {
                        int iy = oy * g.StrideH - g.PadH + ki;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }
                        for (int kj = 0; kj < g.KernelW; kj++)
                        {
                            int ix = ox * g.StrideW - g.PadW + kj;
                            if ((uint)ix < (uint)g.Width)
                            {
                                sum += xp[iy * g.Width + ix];
                            }
                        }
                    }
                    y[(p * oh + oy) * ow + ox] = sum * scale;
                }
            }
        }
    }

    public static void AverageBackward(in ConvGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int oh = g.OutHeight, ow = g.OutWidth, inPlane = g.Height * g.Width;
        float scale = 1f / (g.KernelH * g.KernelW);
        for (int p = 0; p < planes; p++)
        {
            var dxp = dx.Slice(p * inPlane, inPlane);
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    float d = dy[(p * oh + oy) * ow + ox] * scale;
                    for (int ki = 0; ki < g.KernelH; ki++)
                    {
                        int iy = oy * g.StrideH - g.PadH + ki;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }
                        for (int kj = 0; kj < g.KernelW; kj++)
                        {
                            int ix = ox * g.StrideW - g.PadW + kj;
                            if ((uint)ix < (uint)g.Width)
                            {
                                dxp[iy * g.Width + ix] += d;
                            }
                        }
                    }
                }
            }
        }
    }
}
