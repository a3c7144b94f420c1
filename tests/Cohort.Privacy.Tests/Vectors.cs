namespace Cohort.Privacy.Tests;

/// <summary>Order lists and step counts as the reference suites build them.</summary>
internal static class Vectors
{
    /// <summary>tensorflow/privacy compute_dp_sgd_privacy_lib.compute_dp_sgd_privacy's orders.</summary>
    public static readonly double[] TfPrivacyOrders =
        [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, .. Enumerable.Range(5, 59).Select(x => (double)x), 128, 256, 512];

    /// <summary>Opacus RDPAccountant.DEFAULT_ALPHAS: 1.1, …, 10.9, then 12, …, 63.</summary>
    public static readonly double[] OpacusOrders =
        [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    /// <summary>Python's math.ceil(epochs * n / batch_size), the suites' step count.</summary>
    public static long Steps(double epochs, double n, double batch) => (long)Math.Ceiling(epochs * n / batch);

    /// <summary>|actual − expected| within <paramref name="relative"/> of |expected|.</summary>
    public static void Close(double expected, double actual, double relative, string what = "")
    {
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what} expected {expected:R}, got {actual:R}");
    }
}
