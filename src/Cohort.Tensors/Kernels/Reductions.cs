namespace Cohort.Tensors.Kernels;

/// <summary>Sums over spans and over the rows of row-major matrices.</summary>
public static class Reductions
{
    /// <summary>dst[j] += Σ_i src[i, j] for a [rows, cols] matrix.</summary>
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
    public static double Sum(ReadOnlySpan<float> values)
    {
        // Four double lanes of float blocks: fast, and the order does not depend on threads.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
        }
        for (; i < values.Length; i++)
        {
            s0 += values[i];
        }
        return (s0 + s1) + (s2 + s3);
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
