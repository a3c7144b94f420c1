using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Kernels shared by layer, group and batch normalisation: the moments of a segment, its
/// standardisation, and its share of the input gradient. Each has a scalar reference beside it.
/// </summary>
internal static class Normalization
{
    /// <summary>Mean and biased variance in double precision (two passes, so no cancellation).</summary>
    public static (double Mean, double Variance) Moments(ReadOnlySpan<float> values)
    {
        if (values.Length == 0)
        {
            return (0, 0);
        }
        double mean = Reductions.Sum(values) / values.Length;
        double s = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            s += d * d;
        }
        return (mean, s / values.Length);
    }

    /// <summary>xhat = (x − mean) · rstd.</summary>
    public static void Standardize(ReadOnlySpan<float> x, float mean, float rstd, Span<float> xhat)
    {
        Check(x.Length, xhat.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(xhat);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(mean);
            var r = Vector256.Create(rstd);
            for (; i + 8 <= x.Length; i += 8)
            {
                ((Vector256.LoadUnsafe(ref xs, (nuint)i) - m) * r).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            Unsafe.Add(ref ys, i) = (Unsafe.Add(ref xs, i) - mean) * rstd;
        }
    }

    public static void StandardizeReference(ReadOnlySpan<float> x, float mean, float rstd, Span<float> xhat)
    {
        for (int i = 0; i < x.Length; i++)
        {
            xhat[i] = (x[i] - mean) * rstd;
        }
    }

    /// <summary>y = xhat·scale + shift, for a segment with one scale and shift (a channel).</summary>
    public static void ScaleShift(ReadOnlySpan<float> xhat, float scale, float shift, Span<float> y)
    {
        Check(xhat.Length, y.Length);
        ref float xs = ref MemoryMarshal.GetReference(xhat);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(scale);
            var b = Vector256.Create(shift);
            for (; i + 8 <= xhat.Length; i += 8)
            {
                (Vector256.LoadUnsafe(ref xs, (nuint)i) * a + b).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < xhat.Length; i++)
        {
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) * scale + shift;
        }
    }

    public static void ScaleShiftReference(ReadOnlySpan<float> xhat, float scale, float shift, Span<float> y)
    {
        for (int i = 0; i < xhat.Length; i++)
        {
            y[i] = xhat[i] * scale + shift;
        }
    }

    /// <summary>dx += k·dy + c0 + c1·xhat, for a segment whose scale is one constant (a channel).</summary>
    public static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, float k, float c0, float c1, Span<float> dx)
    {
        Check(dy.Length, xhat.Length);
        Check(dy.Length, dx.Length);
        ref float g = ref MemoryMarshal.GetReference(dy);
        ref float h = ref MemoryMarshal.GetReference(xhat);
        ref float d = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var kv = Vector256.Create(k);
            var c0v = Vector256.Create(c0);
            var c1v = Vector256.Create(c1);
            for (; i + 8 <= dy.Length; i += 8)
            {
                var sum = Vector256.LoadUnsafe(ref d, (nuint)i) + kv * Vector256.LoadUnsafe(ref g, (nuint)i) + c0v + c1v * Vector256.LoadUnsafe(ref h, (nuint)i);
                sum.StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < dy.Length; i++)
        {
            Unsafe.Add(ref d, i) += k * Unsafe.Add(ref g, i) + c0 + c1 * Unsafe.Add(ref h, i);
        }
    }

    public static void InputGradientReference(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, float k, float c0, float c1, Span<float> dx)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            dx[i] += k * dy[i] + c0 + c1 * xhat[i];
        }
    }

    /// <summary>dx += rstd·γ⊙dy + c0 + c1·xhat, for a row with one scale per element (layer norm).</summary>
    public static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> xhat, float rstd, float c0, float c1, Span<float> dx)
    {
        Check(dy.Length, xhat.Length);
        Check(dy.Length, dx.Length);
        Check(dy.Length, gamma.Length);
        ref float g = ref MemoryMarshal.GetReference(dy);
        ref float w = ref MemoryMarshal.GetReference(gamma);
        ref float h = ref MemoryMarshal.GetReference(xhat);
        ref float d = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var r = Vector256.Create(rstd);
            var c0v = Vector256.Create(c0);
            var c1v = Vector256.Create(c1);
            for (; i + 8 <= dy.Length; i += 8)
            {
                var scaled = r * Vector256.LoadUnsafe(ref w, (nuint)i) * Vector256.LoadUnsafe(ref g, (nuint)i);
                var sum = Vector256.LoadUnsafe(ref d, (nuint)i) + scaled + c0v + c1v * Vector256.LoadUnsafe(ref h, (nuint)i);
                sum.StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < dy.Length; i++)
        {
            Unsafe.Add(ref d, i) += rstd * Unsafe.Add(ref w, i) * Unsafe.Add(ref g, i) + c0 + c1 * Unsafe.Add(ref h, i);
        }
    }

    public static void InputGradientReference(ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> xhat, float rstd, float c0, float c1, Span<float> dx)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            dx[i] += rstd * gamma[i] * dy[i] + c0 + c1 * xhat[i];
        }
    }

    /// <summary>(Σ dy, Σ dy·xhat) in double precision: what the input gradient subtracts.</summary>
    public static (double SumDy, double SumDyXhat) GradientSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat)
    {
        Check(dy.Length, xhat.Length);
        double s = 0, sx = 0;
        for (int i = 0; i < dy.Length; i++)
        {
            s += dy[i];
            sx += (double)dy[i] * xhat[i];
        }
        return (s, sx);
    }

    private static void Check(int expected, int actual)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Normalization kernel: spans of {expected} and {actual} floats differ in length.");
        }
    }
}
