namespace Cohort.Federated.Leakage;

/// <summary>
/// Anisotropic total variation as Inverting Gradients' reference code: the mean |horizontal difference|
/// plus the mean |vertical difference| over a batch of [channels, height, width] images.
/// </summary>
internal static class TotalVariation
{
    /// <summary>TV(x); adds weight·∂TV/∂x (a subgradient: sign 0 at a zero difference) to <paramref name="gradient"/>.</summary>
    public static double Add(ReadOnlySpan<float> x, int planes, int height, int width, double weight, Span<float> gradient)
    {
        double horizontalCount = (double)planes * height * (width - 1), verticalCount = (double)planes * (height - 1) * width;
        double horizontal = 0, vertical = 0;
        for (int p = 0; p < planes; p++)
        {
            int plane = p * height * width;
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    int k = plane + i * width + j;
                    if (j + 1 < width)
                    {
                        horizontal += Term(x, k, k + 1, weight / horizontalCount, gradient);
                    }
                    if (i + 1 < height)
                    {
                        vertical += Term(x, k, k + width, weight / verticalCount, gradient);
                    }
                }
            }
        }
        return (horizontalCount > 0 ? horizontal / horizontalCount : 0) + (verticalCount > 0 ? vertical / verticalCount : 0);
    }

    private static double Term(ReadOnlySpan<float> x, int a, int b, double scale, Span<float> gradient)
    {
        double d = x[a] - x[b];
        float g = (float)(Math.Sign(d) * scale);
        gradient[a] += g;
        gradient[b] -= g;
        return Math.Abs(d);
    }
}
