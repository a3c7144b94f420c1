using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

/// <summary>The few-row kernels and the transposing packer, against the scalar reference.</summary>
public class GemmShapeTests
{
    public static TheoryData<int, int, int> FewRows()
    {
        var data = new TheoryData<int, int, int>();
        int[] ms = [1, 2, 3, 4, 5, 6, 7, 10, 11, 13, 16];
        int[] ns = [1, 3, 4, 5, 8, 15, 16, 17, 33, 200, 256];
        int[] ks = [1, 7, 8, 9, 16, 25, 100, 256];
        for (int i = 0; i < ms.Length; i++)
        {
            for (int j = 0; j < ns.Length; j += 2)
            {
                data.Add(ms[i], ns[(j + i) % ns.Length], ks[(i + j) % ks.Length]);
            }
        }
        data.Add(10, 200, 784);
        data.Add(50, 200, 200);
        data.Add(64, 100, 37);
        data.Add(63, 16, 255);
        data.Add(33, 129, 3);
        data.Add(16, 10, 200);
        return data;
    }

    [Theory]
    [MemberData(nameof(FewRows))]
    public void FewRowsMatchReference(int m, int n, int k)
    {
        foreach (bool tb in new[] { false, true })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                Check(false, tb, m, n, k, accumulate, pad: 0);
                Check(false, tb, m, n, k, accumulate, pad: 3);
            }
        }
    }

    [Theory]
    [InlineData(17, 16, 8)]
    [InlineData(40, 48, 33)]
    [InlineData(64, 800, 196)]
    [InlineData(20, 35, 257)]
    [InlineData(100, 17, 9)]
    public void TransposedBPackingMatchesReference(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
        {
            Check(ta, true, m, n, k, accumulate: true, pad: 0);
            Check(ta, true, m, n, k, accumulate: false, pad: 5);
        }
    }

    [Theory]
    [InlineData(17, 25, 100)]
    [InlineData(32, 25, 7840)]
    [InlineData(64, 32, 9)]
    [InlineData(40, 5, 300)]
    [InlineData(100, 1, 17)]
    public void FewColumnsOfTransposedBMatchReference(int m, int n, int k)
    {
        Check(false, true, m, n, k, accumulate: true, pad: 0);
        Check(false, true, m, n, k, accumulate: false, pad: 2);
    }

    [Theory]
    [InlineData(490, 64, 32)]
    [InlineData(64, 32, 490)]
    [InlineData(2450, 32, 64)]
    [InlineData(131, 47, 300)]
    [InlineData(23, 64, 7)]
    public void FewColumnsReadAUnpackedAndMatchReference(int m, int n, int k)
    {
        // n ≤ 64: A is read where it lies (Winograd's per-plane products), both layouts, edges included.
        foreach (bool ta in new[] { false, true })
        {
            Check(ta, false, m, n, k, accumulate: false, pad: 0);
            Check(ta, false, m, n, k, accumulate: true, pad: 3);
        }
    }

    [Theory]
    [InlineData(200, 784, 50)]
    [InlineData(200, 200, 50)]
    [InlineData(10, 200, 50)]
    [InlineData(7, 65, 1)]
    [InlineData(13, 100, 64)]
    [InlineData(1, 129, 17)]
    [InlineData(65, 80, 63)]
    public void TransposedAOfSmallDepthReadUnpackedMatchesReference(int m, int n, int k)
    {
        // Aᵀ·B with k ≤ 64 and n > 64: neither operand packed but a last partial column tile.
        Check(true, false, m, n, k, accumulate: false, pad: 0);
        Check(true, false, m, n, k, accumulate: true, pad: 3);
    }

    private static void Check(bool ta, bool tb, int m, int n, int k, bool accumulate, int pad)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        var random = RandomStream.Create(5, m * 1000 + n, k * 10 + pad);
        var a = new float[(ta ? k : m) * lda];
        var b = new float[(tb ? n : k) * ldb];
        var c = new float[m * ldc];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        random.FillUniform(c, -1, 1);
        var expected = (float[])c.Clone();
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        GemmReference.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        float tolerance = 1e-5f * (k + 1);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"ta={ta} tb={tb} m={m} n={n} k={k} acc={accumulate} pad={pad}: element {i} is {c[i]}, expected {expected[i]}");
        }
    }
}
