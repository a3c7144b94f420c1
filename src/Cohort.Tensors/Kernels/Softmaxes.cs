using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Cohort.Tensors.Kernels;

/// <summary>Row-wise softmax and log-softmax of a [rows, cols] matrix, max-shifted for stability.</summary>
internal static class Softmaxes
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var xs = x.Slice(r * cols, cols);
            var ys = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xs);
            TensorPrimitives.Subtract(xs, max, ys);
            TensorPrimitives.Exp(ys, ys);
            float sum = TensorPrimitives.Sum(ys);
            TensorPrimitives.Divide(ys, sum, ys);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var xs = x.Slice(r * cols, cols);
            var ys = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xs);
            double sum = 0;
            for (int j = 0; j < cols; j++)
            {
                sum += Math.Exp(xs[j] - max);
            }
            float shift = max + (float)Math.Log(sum);
            TensorPrimitives.Subtract(xs, shift, ys);
        }
    }

    /// <summary>Scalar reference for both: softmax in double precision.</summary>
    public static void SoftmaxReference(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, bool log)
    {
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < cols; j++)
            {
                max = Math.Max(max, x[r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++)
            {
                sum += Math.Exp(x[r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++)
            {
                double v = x[r * cols + j] - max;
                y[r * cols + j] = (float)(log ? v - Math.Log(sum) : Math.Exp(v) / sum);
            }
        }
    }
}
