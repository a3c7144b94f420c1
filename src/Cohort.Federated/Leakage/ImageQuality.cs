namespace Cohort.Federated.Leakage;

/// <summary>
/// Reconstruction quality against the original, both [channels, height, width] with values in [0, L]:
/// PSNR = 10 log10(L² / MSE) (∞ for identical images) and SSIM (Wang et al. 2004) with an 11×11
/// Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, the mean of the SSIM map over the window positions
/// inside the image (scikit-image's structural_similarity with gaussian_weights=True, use_sample_covariance=False,
/// which crops the border its padding touches), averaged over channels.
/// </summary>
internal static class ImageQuality
{
    public const int Radius = 5;
    public const double Sigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;

    /// <summary>The 11 taps of the normalised Gaussian.</summary>
    public static IReadOnlyList<double> Taps { get; } = GaussianTaps();

    public static double Psnr(ReadOnlySpan<float> original, ReadOnlySpan<float> image, double range = 1)
    {
        double sum = 0;
        for (int i = 0; i < original.Length; i++)
        {
            double d = (double)original[i] - image[i];
            sum += d * d;
        }
        return sum == 0 ? double.PositiveInfinity : 10 * Math.Log10(range * range / (sum / original.Length));
    }

    public static double Ssim(ReadOnlySpan<float> original, ReadOnlySpan<float> image, int channels, int height, int width, double range = 1)
    {
        if (height < 2 * Radius + 1 || width < 2 * Radius + 1)
        {
            throw new ArgumentException($"SSIM needs images of at least {2 * Radius + 1}×{2 * Radius + 1} pixels; these are {height}×{width}.");
        }
        double c1 = K1 * range * K1 * range, c2 = K2 * range * K2 * range, total = 0;
        int positions = 0;
        for (int ch = 0; ch < channels; ch++)
        {
            var x = original.Slice(ch * height * width, height * width);
            var y = image.Slice(ch * height * width, height * width);
            for (int i = Radius; i < height - Radius; i++)
            {
                for (int j = Radius; j < width - Radius; j++)
                {
                    double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                    for (int a = -Radius; a <= Radius; a++)
                    {
                        for (int b = -Radius; b <= Radius; b++)
                        {
                            double w = Taps[a + Radius] * Taps[b + Radius];
                            double u = x[(i + a) * width + j + b], v = y[(i + a) * width + j + b];
                            mx += w * u;
                            my += w * v;
                            xx += w * u * u;
                            yy += w * v * v;
                            xy += w * u * v;
                        }
                    }
                    double vx = xx - mx * mx, vy = yy - my * my, cov = xy - mx * my;
                    total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                    positions++;
                }
            }
        }
        return total / positions;
    }

    private static double[] GaussianTaps()
    {
        var taps = new double[2 * Radius + 1];
        for (int k = -Radius; k <= Radius; k++)
        {
            taps[k + Radius] = Math.Exp(-k * k / (2 * Sigma * Sigma));
        }
        double sum = taps.Sum();
        return taps.Select(t => t / sum).ToArray();
    }
}
