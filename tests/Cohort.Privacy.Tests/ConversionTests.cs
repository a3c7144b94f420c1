namespace Cohort.Privacy.Tests;

/// <summary>RDP → (ε, δ) both ways, with both conversions, against dp_accounting's and TF Privacy's vectors and the Gaussian's exact curve.</summary>
public class ConversionTests
{
    private static readonly double[] TwoToThirtyTwo = [.. Enumerable.Range(2, 31).Select(x => (double)x)];

    /// <summary>dp_accounting test_compute_epsilon_delta_pure_dp: a constant RDP of 1.1 (pure DP) on orders 2…32 gives ε = 1.32783806176 at order 32, and back.</summary>
    [Fact]
    public void ImprovedConversionOfPureDp()
    {
        double[] rdp = [.. TwoToThirtyTwo.Select(_ => 1.1)];
        var (epsilon, order) = RdpToDp.Epsilon(TwoToThirtyTwo, rdp, 1e-5, RdpConversion.Improved);
        Assert.Equal(1.32783806176, epsilon, 10);
        Assert.Equal(32, order);
        var (delta, deltaOrder) = RdpToDp.Delta(TwoToThirtyTwo, rdp, 1.32783806176, RdpConversion.Improved);
        Vectors.Close(1e-5, delta, 1e-9);
        Assert.Equal(32, deltaOrder);
    }

    /// <summary>The classic conversion by hand: with a constant RDP the largest order wins, ε = 1.1 + log(10⁵)/31 (Mironov 2017, Proposition 3).</summary>
    [Fact]
    public void ClassicConversionOfPureDp()
    {
        double[] rdp = [.. TwoToThirtyTwo.Select(_ => 1.1)];
        var (epsilon, order) = RdpToDp.Epsilon(TwoToThirtyTwo, rdp, 1e-5, RdpConversion.Classic);
        Assert.Equal(1.1 + Math.Log(1e5) / 31, epsilon, 12);
        Assert.Equal(32, order);
        // The improved conversion is never worse.
        Assert.True(RdpToDp.Epsilon(TwoToThirtyTwo, rdp, 1e-5, RdpConversion.Improved).Epsilon < epsilon);
    }

    /// <summary>
    /// dp_accounting test_compute_epsilon_delta_gaussian: σ = 4.530877117 gives exactly (1, 1e-6)-DP for one Gaussian, and
    /// the improved conversion on orders 1.001 … 99.999 recovers it (the suite starts at order 1.000, which only the KL bound uses).
    /// </summary>
    [Fact]
    public void ImprovedConversionIsTightForTheGaussian()
    {
        double[] orders = [.. Enumerable.Range(1001, 98999).Select(i => 0.001 * i)];
        var rdp = Rdp.Compute(new SampledGaussian(1, 4.530877117, 1), orders);
        Assert.Equal(1, RdpToDp.Epsilon(orders, rdp, 1e-6, RdpConversion.Improved).Epsilon, 7);
        Vectors.Close(1e-6, RdpToDp.Delta(orders, rdp, 1, RdpConversion.Improved).Delta, 1e-4);
    }

    /// <summary>
    /// dp_accounting test_delta_bounds_gaussian: for one Gaussian with σ = 1, RDP's δ(ε) lies above the exact δ (Balle and
    /// Wang 2018, Theorem 8) and, improved, below the standard bound e^{−(ε − ½)²/2}.
    /// </summary>
    [Theory]
    [InlineData(RdpConversion.Improved)]
    [InlineData(RdpConversion.Classic)]
    public void GaussianDeltaLiesBetweenExactAndStandardBounds(RdpConversion conversion)
    {
        double[] orders = [.. Enumerable.Range(11, 494).Select(x => 0.1 * x)];
        var rdp = Rdp.Compute(new SampledGaussian(1, 1, 1), orders);
        for (int x = 0; x < 500; x++)
        {
            double epsilon = 0.1 * x;
            double delta = RdpToDp.Delta(orders, rdp, epsilon, conversion).Delta;
            double exact = Math.Max(0, Erfc((epsilon - 0.5) / Math.Sqrt(2)) / 2 - Math.Exp(epsilon) * Erfc((epsilon + 0.5) / Math.Sqrt(2)) / 2);
            Assert.True(exact <= delta + 1e-300, $"ε = {epsilon}: exact {exact}, RDP {delta}");
            if (conversion == RdpConversion.Improved)
            {
                double standard = epsilon >= 0.5 ? Math.Exp(-0.5 * (epsilon - 0.5) * (epsilon - 0.5)) : 1;
                Assert.True(delta <= standard + 1e-300, $"ε = {epsilon}: RDP {delta}, standard {standard}");
            }
        }
    }

    /// <summary>erfc(x) = 2Φ(−x√2).</summary>
    private static double Erfc(double x) => 2 * Normal.Cdf(-x * Math.Sqrt(2));

    /// <summary>dp_accounting test_epsilon_delta_consistency: δ(ε(δ)) = δ across rates and noises (orders 2…49), for both conversions.</summary>
    [Theory]
    [InlineData(RdpConversion.Improved)]
    [InlineData(RdpConversion.Classic)]
    public void EpsilonOfDeltaRoundTrips(RdpConversion conversion)
    {
        double[] orders = [.. Enumerable.Range(2, 48).Select(x => (double)x)];
        foreach (double q in (double[])[0, 0.01, 0.1, 0.8, 1.0])
        {
            foreach (double sigma in (double[])[0, 0.1, 1, 10, 100])
            {
                var rdp = Rdp.Compute(new SampledGaussian(q, sigma, 1), orders);
                foreach (double delta in (double[])[0.99, 0.9, 0.1, 0.01, 1e-3, 1e-5, 1e-9, 1e-12])
                {
                    double epsilon = RdpToDp.Epsilon(orders, rdp, delta, conversion).Epsilon;
                    double back = RdpToDp.Delta(orders, rdp, epsilon, conversion).Delta;
                    string where = $"q {q}, σ {sigma}, δ {delta}, ε {epsilon}";
                    if (double.IsPositiveInfinity(epsilon))
                    {
                        Assert.True(back == 1, where);
                    }
                    else if (epsilon == 0)
                    {
                        Assert.True(back <= delta, where);
                    }
                    else
                    {
                        Vectors.Close(delta, back, 1e-9, where);
                    }
                }
            }
        }
    }

    /// <summary>q = 0 reveals nothing (ε = 0, δ = 0) and σ = 0 reveals everything (ε = ∞, δ = 1), whichever accountant.</summary>
    [Theory]
    [InlineData(AccountantKind.Rdp, RdpConversion.Improved)]
    [InlineData(AccountantKind.Rdp, RdpConversion.Classic)]
    [InlineData(AccountantKind.Pld, RdpConversion.Improved)]
    public void NoSamplingAndNoNoiseAreTheExtremes(AccountantKind kind, RdpConversion conversion)
    {
        var accountant = new Accountant(kind, conversion);
        Assert.Equal(0, accountant.Epsilon(new SampledGaussian(0, 1, 1000), 1e-5).Epsilon);
        Assert.Equal(0, accountant.Epsilon(new SampledGaussian(0, 0, 1000), 1e-5).Epsilon);
        Assert.Equal(0, accountant.Delta(new SampledGaussian(0, 1, 1000), 0).Delta);
        Assert.Equal(double.PositiveInfinity, accountant.Epsilon(new SampledGaussian(0.01, 0, 1000), 1e-5).Epsilon);
        Assert.Equal(1, accountant.Delta(new SampledGaussian(0.01, 0, 1000), 5).Delta);
    }

    /// <summary>Each out-of-range input is refused with an error naming it.</summary>
    [Fact]
    public void BadInputIsRefusedByName()
    {
        Assert.Equal("samplingRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SampledGaussian(1.5, 1, 1)).ParamName);
        Assert.Equal("samplingRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SampledGaussian(-0.1, 1, 1)).ParamName);
        Assert.Equal("noiseMultiplier", Assert.Throws<ArgumentOutOfRangeException>(() => new SampledGaussian(0.1, -1, 1)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new SampledGaussian(0.1, 1, -1)).ParamName);
        var mechanism = new SampledGaussian(0.1, 1, 10);
        foreach (double delta in (double[])[0, 1, -1e-5, double.NaN])
        {
            Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => new Accountant().Epsilon(mechanism, delta)).ParamName);
        }
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Accountant().Delta(mechanism, -1)).ParamName);
    }
}
