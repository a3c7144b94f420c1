using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class GaussianNoiseTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(1029)]
    [InlineData(5000)]
    public void VectorPassGivesTheScalarGroupsBits(int length)
    {
        var values = new float[length];
        var start = RandomStream.Create(3, 9);
        start.FillUniform(values, -1f, 1f);
        var expected = (float[])values.Clone();
        var reference = RandomStream.Create(11);
        var words = new uint[(length + 15) / 16 * 16];
        reference.Fill(words);
        var group = new float[16];
        for (int g = 0; g * 16 < length; g++)
        {
            int count = Math.Min(16, length - g * 16);
            Array.Clear(group);
            expected.AsSpan(g * 16, count).CopyTo(group);
            GaussianNoise.GroupScalar(words.AsSpan(g * 16, 16), group, 0.7f, 0.25f);
            group.AsSpan(0, count).CopyTo(expected.AsSpan(g * 16, count));
        }

        var stream = RandomStream.Create(11);
        GaussianNoise.AddScaled(ref stream, values, 0.7f, 0.25f);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), values.Select(BitConverter.SingleToInt32Bits));
        // A partial group draws a whole one: the stream continues after whole groups.
        Assert.Equal(reference.NextUInt32(), stream.NextUInt32());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(1029)]
    [InlineData(5000)]
    public void AxpyInTheNoisePassGivesTheNoiseThenTheAxpy(int length)
    {
        var values = new float[length];
        var target = new float[length];
        var start = RandomStream.Create(3, 9);
        start.FillUniform(values, -1f, 1f);
        start.FillUniform(target, -2f, 2f);
        var (expectedValues, expectedTarget) = ((float[])values.Clone(), (float[])target.Clone());
        var reference = RandomStream.Create(12);
        GaussianNoise.AddScaled(ref reference, expectedValues, 0.7f, 0.25f);
        Cohort.Tensors.Kernels.Streams.AxpyReference(-0.3f, expectedValues, expectedTarget);

        var stream = RandomStream.Create(12);
        GaussianNoise.AddScaledThenAxpy(ref stream, values, 0.7f, 0.25f, -0.3f, target);

        Assert.Equal(expectedValues.Select(BitConverter.SingleToInt32Bits), values.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expectedTarget.Select(BitConverter.SingleToInt32Bits), target.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(reference.NextUInt32(), stream.NextUInt32());
        Assert.Throws<ArgumentException>(() => GaussianNoise.AddScaledThenAxpy(ref stream, new float[3], 1f, 1f, 1f, new float[2]));
    }

    [Fact]
    public void LogMatchesTheLibraryLogarithm()
    {
        for (double u = Math.Pow(2, -32); u <= 1; u *= 1.0137)
        {
            float x = (float)u;
            Assert.True(Math.Abs(GaussianNoise.Log(x) - Math.Log(x)) <= 2e-7 * Math.Max(1, Math.Abs(Math.Log(x))), $"ln {x}: {GaussianNoise.Log(x)} against {Math.Log(x)}");
        }
        Assert.Equal(0f, GaussianNoise.Log(1f));
    }

    [Fact]
    public void MomentsAreTheStandardNormals()
    {
        const int n = 1_000_000;
        var z = Normals(n, 21);
        double mean = z.Average();
        double variance = z.Sum(v => (v - mean) * (v - mean)) / n;
        double skewness = z.Sum(v => Math.Pow(v - mean, 3)) / n / Math.Pow(variance, 1.5);
        double kurtosis = z.Sum(v => Math.Pow(v - mean, 4)) / n / (variance * variance);
        // Five standard errors of each estimate under the normal: 1/√n, √(2/n), √(6/n), √(24/n).
        Assert.InRange(mean, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2.0 / n), 1 + 5 * Math.Sqrt(2.0 / n));
        Assert.InRange(skewness, -5 * Math.Sqrt(6.0 / n), 5 * Math.Sqrt(6.0 / n));
        Assert.InRange(kurtosis, 3 - 5 * Math.Sqrt(24.0 / n), 3 + 5 * Math.Sqrt(24.0 / n));
        // The radius is bounded by √(−2 ln 2⁻³²).
        Assert.True(z.Max(Math.Abs) <= Math.Sqrt(64 * Math.Log(2)) + 1e-5);
    }

    [Fact]
    public void KolmogorovSmirnovDistanceToTheNormalCdfIsSmall()
    {
        const int n = 200_000;
        var z = Normals(n, 5);
        Array.Sort(z);
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = NormalCdf(z[i]);
            d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
        }
        // The 1% critical value of the one-sample test: 1.63/√n.
        Assert.True(d < 1.63 / Math.Sqrt(n), $"KS distance {d}");
    }

    [Fact]
    public void StdAndScaleApplyAsWritten()
    {
        var values = new float[] { 1f, 2f, 3f };
        var a = RandomStream.Create(8);
        GaussianNoise.AddScaled(ref a, values, 0, 0.5f);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f }, values);
    }

    private static double[] Normals(int n, ulong seed)
    {
        var values = new float[n];
        var stream = RandomStream.Create(seed);
        GaussianNoise.AddScaled(ref stream, values, 1f, 1f);
        return values.Select(v => (double)v).ToArray();
    }

    /// <summary>Φ(x) from erfc by Numerical Recipes' Chebyshev fit (relative error below 1.2e-7).</summary>
    private static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
