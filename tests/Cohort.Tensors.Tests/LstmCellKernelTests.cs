using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class LstmCellKernelTests
{
    [Fact]
    public void ForwardAndBackwardMatchScalarReferencesForEveryWidthUpTo256()
    {
        for (int n = 0; n <= 256; n++)
        {
            var random = RandomStream.Create(31, n);
            var pre = Fill(ref random, 4 * n, 3f);
            var cPrev = Fill(ref random, n, 1f);
            var dh = Fill(ref random, n, 1f);
            var dcIn = Fill(ref random, n, 1f);

            var gatesFast = (float[])pre.Clone();
            var gatesSlow = (float[])pre.Clone();
            float[] cFast = new float[n], cSlow = new float[n], tFast = new float[n], tSlow = new float[n], hFast = new float[n], hSlow = new float[n];
            LstmCells.Forward(gatesFast, cPrev, cFast, tFast, hFast);
            LstmCells.ForwardReference(gatesSlow, cPrev, cSlow, tSlow, hSlow);
            AssertClose(gatesSlow, gatesFast, n);
            AssertClose(cSlow, cFast, n);
            AssertClose(tSlow, tFast, n);
            AssertClose(hSlow, hFast, n);

            var dcFast = (float[])dcIn.Clone();
            var dcSlow = (float[])dcIn.Clone();
            float[] dgFast = new float[4 * n], dgSlow = new float[4 * n];
            LstmCells.Backward(gatesSlow, cPrev, tSlow, dh, dcFast, dgFast);
            LstmCells.BackwardReference(gatesSlow, cPrev, tSlow, dh, dcSlow, dgSlow);
            AssertClose(dgSlow, dgFast, n);
            AssertClose(dcSlow, dcFast, n);
        }
    }

    [Fact]
    public void MismatchedRowsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => LstmCells.Forward(new float[8], new float[3], new float[2], new float[2], new float[2]));
        Assert.Contains("LSTM cell", e.Message);
    }

    private static float[] Fill(ref RandomStream random, int n, float bound)
    {
        var values = new float[n];
        random.FillUniform(values, -bound, bound);
        return values;
    }

    private static void AssertClose(float[] expected, float[] actual, int n)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"width {n}, element {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
