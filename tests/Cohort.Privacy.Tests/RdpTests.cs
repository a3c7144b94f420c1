namespace Cohort.Privacy.Tests;

/// <summary>The RDP of the Poisson-subsampled Gaussian against dp_accounting's, TF Privacy's and Opacus's published vectors and against direct integration.</summary>
public class RdpTests
{
    /// <summary>dp_accounting rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian (rtol 1e-4 there).</summary>
    [Fact]
    public void PoissonSampledGaussianMatchesDpAccounting()
    {
        double[] orders = [1.5, 2.5, 5, 50, 100, double.PositiveInfinity];
        double[] expected = [6.70579741e-04, 1.08548710e-03, 2.18075656e-03, 2.38460375e-02, 1.67416308e02, double.PositiveInfinity];
        var rdp = Rdp.Compute(new SampledGaussian(0.01, 2.5, 50), orders);
        for (int i = 0; i < 5; i++)
        {
            Vectors.Close(expected[i], rdp[i], 1e-4, $"order {orders[i]}");
        }
        Assert.Equal(double.PositiveInfinity, rdp[5]);
    }

    /// <summary>
    /// dp_accounting's test_compute_log_a_equals_mp parameters: log A_α from the integer and fractional series against
    /// A_α = ∫ φ_σ(x)((1 − q) + q·e^{(2x − 1)/(2σ²)})^α dx integrated here by Simpson's rule (the suite uses mpmath quadrature).
    /// </summary>
    [Theory]
    [InlineData(1e-7, 0.1, 1.01)]
    [InlineData(1e-6, 0.1, 256)]
    [InlineData(1e-5, 0.1, 256.1)]
    [InlineData(1e-6, 1, 27)]
    [InlineData(1e-4, 1.0, 1.5)]
    [InlineData(1e-3, 1.0, 2)]
    [InlineData(0.01, 10, 20)]
    [InlineData(0.1, 100, 20.5)]
    [InlineData(0.99, 0.1, 256)]
    [InlineData(0.999, 100, 256.1)]
    public void LogAMatchesNumericalIntegration(double q, double sigma, double alpha)
    {
        double series = Rdp.LogA(q, sigma, alpha);
        double integral = LogAByQuadrature(q, sigma, alpha);
        Assert.True(Math.Abs(series - integral) <= 1e-4 * Math.Abs(integral) + 1e-8, $"series {series:R}, integral {integral:R}");
    }

    private static double LogAByQuadrature(double q, double sigma, double alpha)
    {
        double LogIntegrand(double x) =>
            -0.5 * x * x / (sigma * sigma) - Math.Log(sigma * Math.Sqrt(2 * Math.PI))
            + alpha * LogSpace.Add(LogSpace.Log1p(-q), Math.Log(q) + (2 * x - 1) / (2 * sigma * sigma));
        // The mass sits between the two components' peaks, 0 and about α, each σ wide.
        double from = -40 * sigma - 2, to = alpha + 40 * sigma + 2, h = Math.Min(sigma, 1) / 200;
        int n = 2 * (int)Math.Ceiling((to - from) / h / 2);
        h = (to - from) / n;
        double max = double.NegativeInfinity;
        for (int i = 0; i <= n; i++)
        {
            max = Math.Max(max, LogIntegrand(from + i * h));
        }
        double sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double weight = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            sum += weight * Math.Exp(LogIntegrand(from + i * h) - max);
        }
        return max + Math.Log(sum * h / 3);
    }

    /// <summary>q = 1 is the plain Gaussian: RDP(α) = α/(2σ²) per step (Mironov 2017, Proposition 7).</summary>
    [Fact]
    public void UnsampledGaussianIsAlphaOverTwoSigmaSquared()
    {
        var rdp = Rdp.Compute(new SampledGaussian(1, 2.71828, 3), [3.14159]);
        Vectors.Close(3 * 3.14159 / (2 * 2.71828 * 2.71828), rdp[0], 1e-15);
    }

    /// <summary>
    /// tensorflow/privacy compute_dp_sgd_privacy_test.py, test_compute_dp_sgd_privacy: (n, batch, σ, epochs, δ) → (ε, order),
    /// through dp_accounting's RDP accountant, i.e. the improved conversion, on compute_dp_sgd_privacy's orders.
    /// </summary>
    [Theory]
    [InlineData(60000, 150, 1.3, 15, 1e-5, 0.7242234026109595, 19.0)]
    [InlineData(100000, 100, 1.0, 30, 1e-7, 1.4154988495444842, 13.0)]
    [InlineData(100000000, 1024, 0.1, 10, 1e-7, 5907982.3113978775, 1.25)]
    public void DpSgdExampleMatchesTensorFlowPrivacy(double n, double batch, double sigma, double epochs, double delta, double epsilon, double order)
    {
        var accountant = new Accountant(AccountantKind.Rdp, RdpConversion.Improved) { Orders = Vectors.TfPrivacyOrders };
        var result = accountant.Epsilon(new SampledGaussian(batch / n, sigma, Vectors.Steps(epochs, n, batch)), delta);
        Vectors.Close(epsilon, result.Epsilon, 1e-9);
        Assert.Equal(order, result.Order);
    }

    /// <summary>
    /// tensorflow/privacy compute_dp_sgd_privacy_test.py, test_compute_dp_sgd_example_privacy, RDP rows without and with
    /// microbatching (σ halved): 1.2 epochs, σ = 0.7, δ = 1e-5, q = 0.01 for ⌈1.2/q⌉ = 120 steps or q = 1 for ⌈1.2⌉ = 2; dp_accounting's default orders.
    /// </summary>
    [Theory]
    [InlineData(0.7, 0.01, 120, 3.2392676)]
    [InlineData(0.35, 0.01, 120, 22.6248601)]
    [InlineData(0.7, 1, 2, 10.8602036)]
    [InlineData(0.35, 1, 2, 26.2880374)]
    public void ExamplePrivacyMatchesTensorFlowPrivacy(double sigma, double q, long steps, double epsilon)
    {
        var result = new Accountant().Epsilon(new SampledGaussian(q, sigma, steps), 1e-5);
        Assert.Equal(epsilon, result.Epsilon, 6);
    }

    /// <summary>
    /// opacus/tests/accountants_test.py, test_rdp_accountant: σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 on Opacus's orders →
    /// 7.32911117143. Opacus sums the fractional-order series with its signs (the exact A_α); dp_accounting, and so this
    /// accountant, sums the terms' magnitudes, a bound that can only be larger (see FractionalSeriesBoundsTheIntegralFromAbove).
    /// </summary>
    [Fact]
    public void OpacusRdpAccountantVector()
    {
        var accountant = new Accountant(AccountantKind.Rdp, RdpConversion.Improved) { Orders = Vectors.OpacusOrders };
        double epsilon = accountant.Epsilon(new SampledGaussian(0.04, 1.5, 2250), 1e-5).Epsilon;
        Assert.InRange(epsilon, 7.32911117143, 7.32911117143 * (1 + 1e-4));
    }

    /// <summary>Summing the magnitudes of the fractional series' alternating terms bounds A_α from above, close to the exact integral.</summary>
    [Theory]
    [InlineData(1e-4, 0.4, 2.5)]
    [InlineData(0.1, 2, 2.5)]
    [InlineData(0.04, 1.5, 1.5)]
    public void FractionalSeriesBoundsTheIntegralFromAbove(double q, double sigma, double alpha)
    {
        double series = Rdp.LogA(q, sigma, alpha), integral = LogAByQuadrature(q, sigma, alpha);
        Assert.InRange(series, integral, integral * 1.1);
    }

    /// <summary>
    /// tensorflow/privacy rdp_accountant_test.py, test_check_composition, which records the classic conversion's answer
    /// (8.509656 at order 2.5, "the old RDP -> approx DP conversion") for two composed mechanisms. That suite summed the
    /// fractional series with signs; the magnitudes summed here give at most 0.1% more at this order.
    /// </summary>
    [Fact]
    public void ClassicConversionMatchesTheOldTensorFlowPrivacyVector()
    {
        double[] orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
        var first = Rdp.Compute(new SampledGaussian(1e-4, 0.4, 40000), orders);
        var second = Rdp.Compute(new SampledGaussian(0.1, 2, 100), orders);
        double[] rdp = [.. first.Zip(second, (a, b) => a + b)];
        var (classic, order) = RdpToDp.Epsilon(orders, rdp, 1e-5, RdpConversion.Classic);
        Assert.InRange(classic, 8.509656, 8.509656 * 1.001);
        Assert.Equal(2.5, order);
        // The same suite keeps the figure as an upper bound on the improved conversion.
        Assert.True(RdpToDp.Epsilon(orders, rdp, 1e-5, RdpConversion.Improved).Epsilon <= 8.509656);
    }

    /// <summary>tensorflow/privacy compute_noise_from_budget_test.py: the ε of (n, batch, σ, epochs, δ) there, recorded with the classic conversion.</summary>
    [Theory]
    [InlineData(60000, 150, 0.941870567, 15, 1e-5, 1.3)]
    [InlineData(100000, 100, 1.70928734, 30, 1e-7, 1.0)]
    public void ClassicConversionMatchesComputeNoiseFromBudget(double n, double batch, double epsilon, double epochs, double delta, double sigma)
    {
        var accountant = new Accountant(AccountantKind.Rdp, RdpConversion.Classic) { Orders = Vectors.OpacusOrders };
        var result = accountant.Epsilon(new SampledGaussian(batch / n, sigma, Vectors.Steps(epochs, n, batch)), delta);
        Assert.Equal(epsilon, result.Epsilon, 7);
    }
}
