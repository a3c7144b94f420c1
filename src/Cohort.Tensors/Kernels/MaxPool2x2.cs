using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// 2x2 max pooling with stride 2 and no padding (the CNNs' pooling), eight outputs per step.
/// Same result as <see cref="Pooling.MaxForwardReference"/>: the first maximum wins, a NaN wins over numbers and the last NaN wins.
/// </summary>
internal static unsafe class MaxPool2x2
{
    public static bool Fits(in ConvGeometry g) =>
        g.KernelH == 2 && g.KernelW == 2 && g.StrideH == 2 && g.StrideW == 2 && g.PadH == 0 && g.PadW == 0 && Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(int height, int width, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int oh = height / 2, ow = width / 2, inPlane = height * width, outPlane = oh * ow;
        if (height < 2 || width < 2 || x.Length < planes * inPlane || y.Length < planes * outPlane || argmax.Length < planes * outPlane)
        {
            throw new ArgumentException($"Max pooling 2x2 of {planes} planes of {height}x{width}: buffers too small ({x.Length}, {y.Length}, {argmax.Length}).");
        }
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (int* pi = argmax)
        {
            for (int p = 0; p < planes; p++)
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    Row(px + (long)p * inPlane, width, oy, ow, py + (long)p * outPlane + oy * ow, pi + (long)p * outPlane + oy * ow);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(float* plane, int width, int oy, int ow, float* y, int* argmax)
    {
        int top = 2 * oy * width;
        float* r0 = plane + top;
        float* r1 = r0 + width;
        int ox = 0;
        var lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        for (; ox + 8 <= ow; ox += 8)
        {
            // Even and odd columns of both rows, in output order.
            var a0 = Avx.LoadVector256(r0 + 2 * ox);
            var a1 = Avx.LoadVector256(r0 + 2 * ox + 8);
            var b0 = Avx.LoadVector256(r1 + 2 * ox);
            var b1 = Avx.LoadVector256(r1 + 2 * ox + 8);
            var v0 = Order(Avx.Shuffle(a0, a1, 0x88));
            var v1 = Order(Avx.Shuffle(a0, a1, 0xDD));
            var v2 = Order(Avx.Shuffle(b0, b1, 0x88));
            var v3 = Order(Avx.Shuffle(b0, b1, 0xDD));
            var i0 = Avx2.Add(Vector256.Create(top + 2 * ox), lanes);
            var best = v0;
            var index = i0;
            Take(v1, Avx2.Add(i0, Vector256.Create(1)), ref best, ref index);
            Take(v2, Avx2.Add(i0, Vector256.Create(width)), ref best, ref index);
            Take(v3, Avx2.Add(i0, Vector256.Create(width + 1)), ref best, ref index);
            Avx.Store(y + ox, best);
            Avx.Store(argmax + ox, index);
        }
        for (; ox + 4 <= ow; ox += 4)
        {
            Four(plane, width, top, ox, y, argmax);
        }
        if (ox < ow && ow >= 4)
        {
            // The last four outputs again, overlapping: recomputing an output writes the same values.
            Four(plane, width, top, ow - 4, y, argmax);
            return;
        }
        for (; ox < ow; ox++)
        {
            int i = top + 2 * ox;
            float best = plane[i];
            int bi = i;
            TakeScalar(plane[i + 1], i + 1, ref best, ref bi);
            TakeScalar(plane[i + width], i + width, ref best, ref bi);
            TakeScalar(plane[i + width + 1], i + width + 1, ref best, ref bi);
            y[ox] = best;
            argmax[ox] = bi;
        }
    }

    /// <summary>Outputs ox..ox+3 of one row, with 128-bit vectors (branch-free, unlike the scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Four(float* plane, int width, int top, int ox, float* y, int* argmax)
    {
        float* r0 = plane + top + 2 * ox;
        float* r1 = r0 + width;
        var a0 = Sse.LoadVector128(r0);
        var a1 = Sse.LoadVector128(r0 + 4);
        var b0 = Sse.LoadVector128(r1);
        var b1 = Sse.LoadVector128(r1 + 4);
        var i0 = Sse2.Add(Vector128.Create(top + 2 * ox), Vector128.Create(0, 2, 4, 6));
        var best = Sse.Shuffle(a0, a1, 0x88);
        var index = i0;
        Take4(Sse.Shuffle(a0, a1, 0xDD), Sse2.Add(i0, Vector128.Create(1)), ref best, ref index);
        Take4(Sse.Shuffle(b0, b1, 0x88), Sse2.Add(i0, Vector128.Create(width)), ref best, ref index);
        Take4(Sse.Shuffle(b0, b1, 0xDD), Sse2.Add(i0, Vector128.Create(width + 1)), ref best, ref index);
        Sse.Store(y + ox, best);
        Sse2.Store(argmax + ox, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take4(Vector128<float> v, Vector128<int> i, ref Vector128<float> best, ref Vector128<int> index)
    {
        var take = Sse.Or(Sse.CompareGreaterThan(v, best), Sse.CompareUnordered(v, v));
        best = Sse41.BlendVariable(best, v, take);
        index = Sse41.BlendVariable(index.AsSingle(), i.AsSingle(), take).AsInt32();
    }

    /// <summary>Shuffle leaves 64-bit pairs in the order 0,2,1,3; put them back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Order(Vector256<float> v) => Avx2.Permute4x64(v.AsDouble(), 0xD8).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector256<float> v, Vector256<int> i, ref Vector256<float> best, ref Vector256<int> index)
    {
        var take = Avx.Or(Avx.CompareGreaterThan(v, best), Avx.CompareUnordered(v, v));
        best = Avx.BlendVariable(best, v, take);
        index = Avx.BlendVariable(index.AsSingle(), i.AsSingle(), take).AsInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TakeScalar(float v, int i, ref float best, ref int index)
    {
        if (v > best || float.IsNaN(v))
        {
            best = v;
            index = i;
        }
    }
}
