using Cohort.Federated.Leakage;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>PSNR and SSIM against values worked out by hand from their definitions (Wang et al. 2004).</summary>
public sealed class ImageQualityTests
{
    private const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    [Fact]
    public void PsnrOfAnErrorOfTenthsEverywhereIsTwentyDecibels()
    {
        // MSE = 0.01 on data range 1: 10·log10(1 / 0.01) = 20.
        Assert.Equal(20, ImageQuality.Psnr([0, 0.5f, 1, 0.2f], [0.1f, 0.4f, 0.9f, 0.3f]), 4);
        Assert.Equal(double.PositiveInfinity, ImageQuality.Psnr([0.3f, 0.7f], [0.3f, 0.7f]));
    }

    [Fact]
    public void IdenticalImagesHaveSsimOne()
    {
        var x = TinyNets.Image(2 * 14 * 13, 3);
        Assert.Equal(1, ImageQuality.Ssim(x, x, 2, 14, 13), 12);
    }

    [Fact]
    public void ConstantImagesHaveTheLuminanceTermAlone()
    {
        // No variance: SSIM = (2ab + C1) / (a² + b² + C1) at every position.
        const float a = 0.2f, b = 0.6f;
        double expected = (2.0 * a * b + C1) / ((double)a * a + (double)b * b + C1);
        Assert.Equal(expected, ImageQuality.Ssim(Filled(12 * 12, a), Filled(12 * 12, b), 1, 12, 12), 10);
    }

    [Fact]
    public void AShiftedRampHasTheLuminanceOfItsLocalMeans()
    {
        // x = 0.1 + 0.02·column, y = x + 0.25: equal variances and covariance, so the contrast-structure term is 1;
        // a symmetric window's mean of a linear ramp is its centre value, so SSIM is the mean over the centre columns
        // j = 5..14 (a 20-wide image) of (2μ(μ + c) + C1)/(μ² + (μ + c)² + C1) with μ = 0.1 + 0.02j.
        const int height = 11, width = 20;
        var x = new float[height * width];
        var y = new float[height * width];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 0.1f + 0.02f * (i % width);
            y[i] = x[i] + 0.25f;
        }
        double expected = 0;
        for (int j = 5; j <= 14; j++)
        {
            double mu = x[j], nu = y[j];
            expected += (2 * mu * nu + C1) / (mu * mu + nu * nu + C1) / 10;
        }
        Assert.Equal(expected, ImageQuality.Ssim(x, y, 1, height, width), 6);
    }

    [Fact]
    public void TheWindowIsTheNormalisedElevenTapGaussianOfSigmaOnePointFive()
    {
        Assert.Equal(11, ImageQuality.Taps.Count);
        Assert.Equal(1, ImageQuality.Taps.Sum(), 12);
        // Ratio of neighbouring taps: exp(−(k+1)²/4.5) / exp(−k²/4.5).
        Assert.Equal(Math.Exp(-1 / 4.5), ImageQuality.Taps[6] / ImageQuality.Taps[5], 12);
        Assert.Equal(Math.Exp(-25 / 4.5), ImageQuality.Taps[10] / ImageQuality.Taps[5], 12);
    }

    private static float[] Filled(int n, float value) => Enumerable.Repeat(value, n).ToArray();
}
