using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class GemmTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        int[] dims = [0, 1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 33, 64, 100, 127, 129, 256];
        for (int i = 0; i < dims.Length; i++)
        {
            // A spread of (m, n, k) triples covering edges of the 6x16 tile and the 256 k-block.
            data.Add(dims[i], dims[(i * 7 + 3) % dims.Length], dims[(i * 5 + 11) % dims.Length]);
            data.Add(dims[(i * 3 + 1) % dims.Length], dims[i], dims[(i * 11 + 2) % dims.Length]);
        }
        data.Add(300, 40, 520);
        data.Add(7, 3100, 9);
        data.Add(130, 130, 257);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesReferenceForAllTransposes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    Check(ta, tb, m, n, k, accumulate, threads: 1);
                }
            }
        }
    }

    [Theory]
    [InlineData(64, 200, 30)]
    [InlineData(33, 1000, 70)]
    [InlineData(50, 3136, 96)]
    [InlineData(200, 300, 40)]
    public void ThreadCountDoesNotChangeBits(int m, int n, int k)
    {
        var (a, b) = Operands(false, false, m, n, k, 3);
        var one = new float[m * n];
        var four = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, one, n, false, threads: 1);
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, four, n, false, threads: 4);
        Assert.Equal(one, four);
        // A·Bᵀ: B laid out [n, k].
        Gemm.Multiply(false, true, m, n, k, a, k, b, k, one, n, false, threads: 1);
        Gemm.Multiply(false, true, m, n, k, a, k, b, k, four, n, false, threads: 4);
        Assert.Equal(one, four);
    }

    [Fact]
    public void RejectsBuffersThatAreTooSmall()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, new float[15], 4, new float[16], 4, new float[16], 4, false));
        Assert.Contains("A is 4x4", e.Message);
    }

    [Fact]
    public void HonoursLeadingDimensions()
    {
        // Multiply sub-blocks of larger matrices.
        int m = 9, n = 18, k = 11, lda = 20, ldb = 25, ldc = 30;
        var random = RandomStream.Create(11);
        var a = new float[m * lda];
        var b = new float[k * ldb];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        var c = new float[m * ldc];
        var r = new float[m * ldc];
        random.FillUniform(c, -1, 1);
        c.CopyTo(r, 0);
        Gemm.Multiply(false, false, m, n, k, a, lda, b, ldb, c, ldc, true);
        GemmReference.Multiply(false, false, m, n, k, a, lda, b, ldb, r, ldc, true);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - r[i]) <= 1e-4f * (1 + Math.Abs(r[i])), $"element {i}");
        }
    }

    private static void Check(bool ta, bool tb, int m, int n, int k, bool accumulate, int threads)
    {
        var (a, b) = Operands(ta, tb, m, n, k, (ulong)(m * 1000 + n * 10 + k));
        var c = new float[m * n];
        var expected = new float[m * n];
        var random = RandomStream.Create(99, m, n, k);
        random.FillUniform(c, -1, 1);
        c.CopyTo(expected, 0);
        int lda = ta ? m : k, ldb = tb ? k : n;
        Gemm.Multiply(ta, tb, m, n, k, a, Math.Max(lda, 1), b, Math.Max(ldb, 1), c, Math.Max(n, 1), accumulate, threads);
        GemmReference.Multiply(ta, tb, m, n, k, a, Math.Max(lda, 1), b, Math.Max(ldb, 1), expected, Math.Max(n, 1), accumulate);
        float tolerance = 1e-5f * (k + 1);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"ta={ta} tb={tb} m={m} n={n} k={k} acc={accumulate}: element {i} is {c[i]}, expected {expected[i]}");
        }
    }

    private static (float[] A, float[] B) Operands(bool ta, bool tb, int m, int n, int k, ulong seed)
    {
        var random = RandomStream.Create(seed);
        var a = new float[m * k];
        var b = new float[k * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        return (a, b);
    }
}
