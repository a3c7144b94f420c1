using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Kernels;

/// <summary>Sums over spans and over the rows of row-major matrices.</summary>
internal static class Reductions
{
    /// <summary>dst[j] += Σ_i src[i, j] for a [rows, cols] matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRowsInto(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        Check(src, rows, cols, dst);
        for (int i = 0; i < rows; i++)
        {
            Streams.AddInto(src.Slice(i * cols, cols), dst[..cols]);
        }
    }

    /// <summary>Scalar reference for <see cref="AddRowsInto"/>.</summary>
    public static void AddRowsIntoReference(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        Check(src, rows, cols, dst);
        for (int j = 0; j < cols; j++)
        {
            float sum = dst[j];
            for (int i = 0; i < rows; i++)
            {
                sum += src[i * cols + j];
            }
            dst[j] = sum;
        }
    }

    /// <summary>Sum in double precision, in a fixed order (so the result is reproducible).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe double Sum(ReadOnlySpan<float> values)
    {
        int n = values.Length, i = 0;
        double total = 0;
        if (Avx.IsSupported && n >= 16)
        {
            // Sixteen double lanes, combined in a fixed order: the result depends on the length only.
            fixed (float* p = values)
            {
                Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
                for (; i + 16 <= n; i += 16)
                {
                    s0 = Avx.Add(s0, Avx.ConvertToVector256Double(Sse.LoadVector128(p + i)));
                    s1 = Avx.Add(s1, Avx.ConvertToVector256Double(Sse.LoadVector128(p + i + 4)));
                    s2 = Avx.Add(s2, Avx.ConvertToVector256Double(Sse.LoadVector128(p + i + 8)));
                    s3 = Avx.Add(s3, Avx.ConvertToVector256Double(Sse.LoadVector128(p + i + 12)));
                }
                var s = Avx.Add(Avx.Add(s0, s1), Avx.Add(s2, s3));
                total = (s.GetElement(0) + s.GetElement(1)) + (s.GetElement(2) + s.GetElement(3));
            }
        }
        for (; i < n; i++)
        {
            total += values[i];
        }
        return total;
    }

    /// <summary>Sum of squares in double precision.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 2 <= values.Length; i += 2)
        {
            s0 += (double)values[i] * values[i];
            s1 += (double)values[i + 1] * values[i + 1];
        }
        for (; i < values.Length; i++)
        {
            s0 += (double)values[i] * values[i];
        }
        return s0 + s1;
    }

    private static void Check(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        if (src.Length < (long)rows * cols || dst.Length < cols)
        {
            throw new ArgumentException($"Row sum of a {rows}x{cols} matrix needs {rows * cols} source and {cols} destination floats; got {src.Length} and {dst.Length}.");
        }
    }
}
