using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Moves planes between channels-first ([C, rows, cols]) and channels-last ([rows', cols', C]) layouts
/// eight channels by eight pixels at a time, with an offset and a wider row in the channels-last
/// side (a zero-padded or tile-rounded image). Channels are a multiple of 8.
/// </summary>
internal static unsafe class ChannelsLast
{
    /// <summary>last[(r + top)·lastCols + left + col, cb..] = first[c, r, col] for one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromChannelsFirst(float* first, int channels, int rows, int cols, float* last, int lastCols, int top, int left)
    {
        int plane = rows * cols;
        for (int cb = 0; cb < channels; cb += 8)
        {
            for (int r = 0; r < rows; r++)
            {
                float* src = first + (long)cb * plane + r * cols;
                float* dst = last + ((long)(r + top) * lastCols + left) * channels + cb;
                int col = 0;
                for (; col + 8 <= cols; col += 8)
                {
                    Transpose8x8(src + col, plane, dst + (long)col * channels, channels, add: false);
                }
                for (; col < cols; col++)
                {
                    for (int k = 0; k < 8; k++)
                    {
                        dst[(long)col * channels + k] = src[(long)k * plane + col];
                    }
                }
            }
        }
    }

    /// <summary>first[c, r, col] (=|+=) last[(r + top)·lastCols + left + col, c] (+ bias[c] when not null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToChannelsFirst(float* last, int lastCols, int top, int left, int channels, int rows, int cols, float* first, float* bias, bool add)
    {
        int plane = rows * cols;
        for (int cb = 0; cb < channels; cb += 8)
        {
            for (int r = 0; r < rows; r++)
            {
                float* src = last + ((long)(r + top) * lastCols + left) * channels + cb;
                float* dst = first + (long)cb * plane + r * cols;
                int col = 0;
                for (; col + 8 <= cols; col += 8)
                {
                    Transpose8x8(src + (long)col * channels, channels, dst + col, plane, add);
                    if (bias != null)
                    {
                        for (int k = 0; k < 8; k++)
                        {
                            float* line = dst + (long)k * plane + col;
                            Avx.Store(line, Avx.Add(Avx.LoadVector256(line), Vector256.Create(bias[cb + k])));
                        }
                    }
                }
                for (; col < cols; col++)
                {
                    for (int k = 0; k < 8; k++)
                    {
                        float v = src[(long)col * channels + k] + (bias == null ? 0f : bias[cb + k]);
                        ref float to = ref dst[(long)k * plane + col];
                        to = add ? to + v : v;
                    }
                }
            }
        }
    }

    /// <summary>dst[j·dstStride + i] (=|+=) src[i·srcStride + j] for an 8x8 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, long srcStride, float* dst, long dstStride, bool add)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(dst, Avx.Permute2x128(u0, u4, 0x20), add);
        Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20), add);
        Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20), add);
        Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20), add);
        Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31), add);
        Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31), add);
        Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31), add);
        Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31), add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* to, Vector256<float> v, bool add)
    {
        Avx.Store(to, add ? Avx.Add(Avx.LoadVector256(to), v) : v);
    }
}
