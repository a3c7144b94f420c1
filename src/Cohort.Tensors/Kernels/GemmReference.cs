namespace Cohort.Tensors.Kernels;

/// <summary>Scalar reference for <see cref="Gemm"/>, accumulated in double for use as a test oracle.</summary>
internal static class GemmReference
{
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate)
    {
        Gemm.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = Dot(transA, transB, i, j, k, a, lda, b, ldb);
                c[i * ldc + j] = accumulate ? (float)(c[i * ldc + j] + sum) : (float)sum;
            }
        }
    }

    /// <summary>c += scale·(op(A)·op(B)), each product rounded to float before it is scaled.</summary>
    public static void MultiplyAddScaled(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        float scale)
    {
        Gemm.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = Dot(transA, transB, i, j, k, a, lda, b, ldb);
                c[i * ldc + j] += scale * (float)sum;
            }
        }
    }

    /// <summary>Σₚ op(A)[i, p]·op(B)[p, j] in double.</summary>
    private static double Dot(bool transA, bool transB, int i, int j, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb)
    {
        double sum = 0;
        for (int p = 0; p < k; p++)
        {
            float av = transA ? a[p * lda + i] : a[i * lda + p];
            float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
            sum += (double)av * bv;
        }
        return sum;
    }
}
