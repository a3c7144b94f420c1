using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// Element-wise activation functions, forward and backward. Backward kernels accumulate into the
/// input gradient. Each has a scalar reference beside it for tests.
/// </summary>
internal static class Activations
{
    /// <summary>y = max(x, 0); NaN passes through, as in PyTorch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckLengths(x, x, y);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float py = ref MemoryMarshal.GetReference(y);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref px, (nuint)i);
                var keep = Vector256.GreaterThan(v, Vector256<float>.Zero) | ~Vector256.Equals(v, v);
                (v & keep).StoreUnsafe(ref py, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f || float.IsNaN(v) ? v : 0f;
        }
    }

    public static void ReluReference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /// <summary>dx += dy where y &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y, dy, dx);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= y.Length; i += 8)
            {
                var mask = Vector256.GreaterThan(Vector256.Create(y.Slice(i, 8)), Vector256<float>.Zero);
                var add = Vector256.BitwiseAnd(mask, Vector256.Create(dy.Slice(i, 8)));
                (Vector256.Create(dx.Slice(i, 8)) + add).CopyTo(dx.Slice(i, 8));
            }
        }
        for (; i < y.Length; i++)
        {
            if (y[i] > 0f)
            {
                dx[i] += dy[i];
            }
        }
    }

    public static void ReluBackwardReference(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] += y[i] > 0f ? dy[i] : 0f;
        }
    }

    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    public static void TanhReference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = MathF.Tanh(x[i]);
        }
    }

    /// <summary>dx += dy · (1 − y²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y, dy, dx);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1f);
            for (; i + 8 <= y.Length; i += 8)
            {
                var yv = Vector256.Create(y.Slice(i, 8));
                var d = Vector256.Create(dy.Slice(i, 8)) * (one - yv * yv);
                (Vector256.Create(dx.Slice(i, 8)) + d).CopyTo(dx.Slice(i, 8));
            }
        }
        for (; i < y.Length; i++)
        {
            dx[i] += dy[i] * (1f - y[i] * y[i]);
        }
    }

    public static void TanhBackwardReference(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] += dy[i] * (1f - y[i] * y[i]);
        }
    }

    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        // TensorPrimitives.Sigmoid rejects empty spans; an empty tensor is valid here.
        if (!x.IsEmpty)
        {
            TensorPrimitives.Sigmoid(x, y);
        }
    }

    public static void SigmoidReference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    /// <summary>dx += dy · y · (1 − y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y, dy, dx);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1f);
            for (; i + 8 <= y.Length; i += 8)
            {
                var yv = Vector256.Create(y.Slice(i, 8));
                var d = Vector256.Create(dy.Slice(i, 8)) * yv * (one - yv);
                (Vector256.Create(dx.Slice(i, 8)) + d).CopyTo(dx.Slice(i, 8));
            }
        }
        for (; i < y.Length; i++)
        {
            dx[i] += dy[i] * y[i] * (1f - y[i]);
        }
    }

    public static void SigmoidBackwardReference(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] += dy[i] * y[i] * (1f - y[i]);
        }
    }

    /// <summary>Exact GELU, x·Φ(x), as PyTorch's default.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckLengths(x, x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(v * NormalCdf(v));
        }
    }

    public static void GeluReference(ReadOnlySpan<float> x, Span<float> y) => Gelu(x, y);

    /// <summary>dx += dy · (Φ(x) + x·φ(x)).</summary>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(x, dy, dx);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double pdf = Math.Exp(-0.5 * v * v) * 0.3989422804014327;
            dx[i] += (float)(dy[i] * (NormalCdf(v) + v * pdf));
        }
    }

    /// <summary>Φ(x) = ½(1 + erf(x/√2)).</summary>
    public static double NormalCdf(double x) => 0.5 * (1.0 + Erf(x * 0.7071067811865476));

    /// <summary>erf to about 1e-15, by series (|x| &lt; 2.5) or continued fraction (beyond).</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 2.5)
        {
            // Maclaurin series: erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)).
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }
            double r = 1.1283791670955126 * sum;
            return x < 0 ? -r : r;
        }
        if (ax > 6.0)
        {
            return x < 0 ? -1.0 : 1.0;
        }
        // erfc by Lentz's continued fraction: erfc x = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))).
        double f = ax, c = ax, d = 0;
        for (int n = 1; n < 200; n++)
        {
            double an = n * 0.5;
            d = ax + an * d;
            d = 1.0 / d;
            c = ax + an / c;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
            {
                break;
            }
        }
        double erfc = Math.Exp(-ax * ax) / (f * 1.7724538509055159);
        return x < 0 ? erfc - 1.0 : 1.0 - erfc;
    }

    private static void CheckLengths(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        if (a.Length != b.Length || a.Length != c.Length)
        {
            throw new ArgumentException($"Element-wise kernel: span lengths differ ({a.Length}, {b.Length}, {c.Length}).");
        }
    }
}
