using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

/// <summary>
/// The wide register tiles (processors with 32 vector registers) give the narrow tiles' bits: the
/// same numbers whatever the processor. Where the processor lacks them, both runs take the narrow path.
/// </summary>
public class GemmWideTileTests
{
    private static readonly object Switch = new();

    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        (int m, int n, int k)[] shapes =
        [
            (50, 200, 784), (50, 200, 200), (50, 10, 200), (10, 200, 50), (50, 200, 10), (200, 200, 50),
            (200, 784, 50), (1, 1, 1), (4, 3, 9), (5, 4, 8), (9, 17, 13), (11, 33, 31), (23, 7, 100),
            (35, 64, 17), (64, 40, 3), (17, 100, 257), (121, 48, 65), (7, 64, 9), (13, 200, 7),
            (16, 200, 200), (10, 3136, 64), (64, 200, 100), (7, 100, 64), (200, 33, 50), (13, 65, 2),
            (80, 64, 32), (64, 32, 80), (80, 32, 64), (50, 100, 300),
        ];
        foreach (var (m, n, k) in shapes)
        {
            data.Add(false, true, m, n, k);
            data.Add(false, false, m, n, k);
            data.Add(true, false, m, n, k);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WideTilesGiveTheNarrowTilesBits(bool ta, bool tb, int m, int n, int k)
    {
        int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
        var random = RandomStream.Create(11, m * 1000 + n, k);
        var a = new float[(ta ? k : m) * lda];
        var b = new float[(tb ? n : k) * ldb];
        var c0 = new float[m * ldc];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        random.FillUniform(c0, -1, 1);
        foreach (bool accumulate in new[] { false, true })
        {
            var wide = (float[])c0.Clone();
            var narrow = (float[])c0.Clone();
            Both(
                () => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, wide, ldc, accumulate),
                () => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, narrow, ldc, accumulate));
            AssertSameBits(wide, narrow, $"ta={ta} tb={tb} m={m} n={n} k={k} acc={accumulate}");
        }
        if (k <= Gemm.ScaledUpdateMaxDepth)
        {
            // The fused SGD step (θ += −η·AᵀB) through the same tiles.
            var wide = (float[])c0.Clone();
            var narrow = (float[])c0.Clone();
            Both(
                () => Gemm.MultiplyAddScaled(ta, tb, m, n, k, a, lda, b, ldb, wide, ldc, -0.3f),
                () => Gemm.MultiplyAddScaled(ta, tb, m, n, k, a, lda, b, ldb, narrow, ldc, -0.3f));
            AssertSameBits(wide, narrow, $"scaled ta={ta} tb={tb} m={m} n={n} k={k}");
        }
    }

    /// <summary>Runs the first with the wide tiles as the processor allows, the second without.</summary>
    private static void Both(Action wide, Action narrow)
    {
        lock (Switch)
        {
            bool saved = WideTiles.Enabled;
            try
            {
                wide();
                WideTiles.Enabled = false;
                narrow();
            }
            finally
            {
                WideTiles.Enabled = saved;
            }
        }
    }

    private static void AssertSameBits(float[] wide, float[] narrow, string what)
    {
        for (int i = 0; i < wide.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(wide[i]) == BitConverter.SingleToInt32Bits(narrow[i]),
                $"{what}: element {i} is {wide[i]} wide, {narrow[i]} narrow");
        }
    }
}
