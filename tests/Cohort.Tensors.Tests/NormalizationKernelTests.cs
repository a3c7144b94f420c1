using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class NormalizationKernelTests
{
    [Fact]
    public void KernelsMatchScalarReferencesForEveryLengthUpTo256()
    {
        for (int n = 0; n <= 256; n++)
        {
            var random = RandomStream.Create(21, n);
            var x = Fill(ref random, n);
            var dy = Fill(ref random, n);
            var gamma = Fill(ref random, n);
            var start = Fill(ref random, n);

            var fast = new float[n];
            var slow = new float[n];
            Normalization.Standardize(x, 0.3f, 1.7f, fast);
            Normalization.StandardizeReference(x, 0.3f, 1.7f, slow);
            AssertClose(slow, fast, n);

            Normalization.ScaleShift(x, -0.6f, 0.2f, fast);
            Normalization.ScaleShiftReference(x, -0.6f, 0.2f, slow);
            AssertClose(slow, fast, n);

            start.CopyTo(fast, 0);
            start.CopyTo(slow, 0);
            Normalization.InputGradient(dy, x, 0.8f, -0.1f, 0.25f, fast);
            Normalization.InputGradientReference(dy, x, 0.8f, -0.1f, 0.25f, slow);
            AssertClose(slow, fast, n);

            start.CopyTo(fast, 0);
            start.CopyTo(slow, 0);
            Normalization.InputGradient(dy, gamma, x, 1.3f, 0.05f, -0.4f, fast);
            Normalization.InputGradientReference(dy, gamma, x, 1.3f, 0.05f, -0.4f, slow);
            AssertClose(slow, fast, n);
        }
    }

    [Fact]
    public void MomentsAreTheMeanAndBiasedVariance()
    {
        float[] values = [1f, 2f, 4f, 9f];
        var (mean, variance) = Normalization.Moments(values);
        Assert.Equal(4.0, mean, 12);
        Assert.Equal((9.0 + 4.0 + 0.0 + 25.0) / 4.0, variance, 12);
        Assert.Equal((0.0, 0.0), Normalization.Moments([]));
    }

    private static float[] Fill(ref RandomStream random, int n)
    {
        var values = new float[n];
        random.FillUniform(values, -2f, 2f);
        return values;
    }

    private static void AssertClose(float[] expected, float[] actual, int n)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"length {n}, element {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
