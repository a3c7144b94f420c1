using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class GemmScaledTests
{
    [Theory]
    [InlineData(512, 3136, 10)]
    [InlineData(10, 512, 50)]
    [InlineData(200, 784, 50)]
    [InlineData(37, 45, 7)]
    [InlineData(7, 130, 256)]
    [InlineData(1, 1, 1)]
    [InlineData(200, 200, 50)]
    [InlineData(13, 100, 64)]
    public void EqualsTheSgdStepOnTheWrittenProductBitForBit(int m, int n, int k)
    {
        // The fused update θ += −η·(dYᵀ·X) must be the unfused one: g = dYᵀ·X written, then θ += −η·g.
        // A weight gradient's A is transposed, which Multiply runs through the same loops as the fused update.
        const bool ta = true;
        foreach (bool tb in new[] { false, true })
        {
            var (a, b, theta) = Operands(m, n, k);
            const float minusLr = -0.05f;
            var gradient = new float[m * n];
            Gemm.Multiply(ta, tb, m, n, k, a, m, b, tb ? k : n, gradient, n, accumulate: true);
            var expected = (float[])theta.Clone();
            Streams.Axpy(minusLr, gradient, expected);
            Gemm.MultiplyAddScaled(ta, tb, m, n, k, a, m, b, tb ? k : n, theta, n, minusLr);
            Assert.Equal(expected, theta);
        }
    }

    [Fact]
    public void MatchesTheReference()
    {
        var (a, b, c) = Operands(70, 90, 33);
        var expected = (float[])c.Clone();
        Gemm.MultiplyAddScaled(true, false, 70, 90, 33, a, 70, b, 90, c, 90, 0.3f);
        GemmReference.MultiplyAddScaled(true, false, 70, 90, 33, a, 70, b, 90, expected, 90, 0.3f);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: {c[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void RejectsADepthBeyondOneBlock()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.MultiplyAddScaled(false, false, 2, 2, 257, new float[514], 257, new float[514], 2, new float[4], 2, 1f));
        Assert.Contains("k <= 256", e.Message);
    }

    private static (float[] A, float[] B, float[] C) Operands(int m, int n, int k)
    {
        var random = RandomStream.Create(11, m * 7919 + n, k);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        random.FillUniform(c, -1, 1);
        return (a, b, c);
    }
}
