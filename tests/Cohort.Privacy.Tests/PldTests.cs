namespace Cohort.Privacy.Tests;

/// <summary>The PLD accountant against the Gaussian's closed form and against TF Privacy's published PLD figures.</summary>
public class PldTests
{
    /// <summary>Gaussian DP (Dong, Roth and Su 2019, Corollary 2.13): k compositions of σ-noise are μ-GDP with μ = √k/σ, δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2).</summary>
    private static double GaussianDpDelta(double mu, double epsilon) =>
        Normal.Cdf(-epsilon / mu + mu / 2) - Math.Exp(epsilon) * Normal.Cdf(-epsilon / mu - mu / 2);

    /// <summary>q = 1 composed k times: PLD's δ lies above the exact curve and within its discretisation error; RDP's lies above it.</summary>
    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(2.0, 10)]
    [InlineData(5.0, 100)]
    [InlineData(0.8, 4)]
    public void ComposedGaussianMatchesGaussianDp(double sigma, long k)
    {
        var mechanism = new SampledGaussian(1, sigma, k);
        double mu = Math.Sqrt(k) / sigma;
        var composed = Assert.Single(Pld.Directions(mechanism, Pld.DefaultInterval));
        foreach (double epsilon in (double[])[0.1, 0.5, 1, 2, 4])
        {
            double exact = GaussianDpDelta(mu, epsilon);
            double pld = composed.Delta(epsilon);
            double rdp = new Accountant(AccountantKind.Rdp, RdpConversion.Improved).Delta(mechanism, epsilon).Delta;
            string where = $"σ {sigma}, k {k}, ε {epsilon}: exact {exact:R}, PLD {pld:R}, RDP {rdp:R}";
            Assert.True(pld >= exact * (1 - 1e-9) - 1e-15, where);
            // Connect-the-dots interpolates δ linearly in e^ε over steps of 1e-4, an error of order 1e-4 relative per step.
            Assert.True(pld <= exact * (1 + 1e-3) + 1e-12, where);
            Assert.True(rdp >= exact, where);
        }
    }

    /// <summary>The ε side of the same comparison: PLD's ε at δ sits just above the exact Gaussian-DP ε.</summary>
    [Theory]
    [InlineData(1.0, 1, 1e-5)]
    [InlineData(2.0, 50, 1e-6)]
    public void ComposedGaussianEpsilonMatchesGaussianDp(double sigma, long k, double delta)
    {
        double mu = Math.Sqrt(k) / sigma;
        double epsilon = Pld.Epsilon(new SampledGaussian(1, sigma, k), delta);
        // δ falls with ε: the exact curve at the PLD's ε is within δ, and a hair below it is not.
        Assert.True(GaussianDpDelta(mu, epsilon) <= delta);
        Assert.True(GaussianDpDelta(mu, epsilon - 2e-3) > delta, $"ε {epsilon}");
    }

    /// <summary>
    /// tensorflow/privacy compute_dp_sgd_privacy_test.py, test_compute_dp_sgd_example_privacy, PLD rows (dp_accounting's
    /// PLDAccountant, interval 1e-4): 1.2 epochs, σ = 0.7 (0.35 with microbatching), δ = 1e-5, q = 0.01 × 120 steps or q = 1 × 2.
    /// </summary>
    [Theory]
    [InlineData(0.7, 0.01, 120, 2.4612381)]
    [InlineData(0.35, 0.01, 120, 18.6977407)]
    [InlineData(0.7, 1, 2, 10.1224946)]
    [InlineData(0.35, 1, 2, 24.7160779)]
    public void ExamplePrivacyMatchesTensorFlowPrivacy(double sigma, double q, long steps, double epsilon)
    {
        Vectors.Close(epsilon, Pld.Epsilon(new SampledGaussian(q, sigma, steps), 1e-5), 1e-4);
    }

    /// <summary>
    /// tensorflow/privacy compute_dp_sgd_privacy_test.py, the privacy statements: 10000 examples, batch 64, 5 epochs, σ = 2
    /// with microbatching (so 1), δ = 1e-6: with Poisson sampling (q = 0.0064, ⌈5/q⌉ = 782 steps) RDP 1.616 and PLD 1.199;
    /// once per epoch (q = 1, 5 steps) RDP 13.376 and PLD 12.595, printed to three decimals.
    /// </summary>
    [Theory]
    [InlineData(0.0064, 782, AccountantKind.Rdp, 1.616)]
    [InlineData(0.0064, 782, AccountantKind.Pld, 1.199)]
    [InlineData(1, 5, AccountantKind.Rdp, 13.376)]
    [InlineData(1, 5, AccountantKind.Pld, 12.595)]
    public void PrivacyStatementsMatchTensorFlowPrivacy(double q, long steps, AccountantKind kind, double epsilon)
    {
        double actual = new Accountant(kind).Epsilon(new SampledGaussian(q, 1.0, steps), 1e-6).Epsilon;
        Assert.Equal(epsilon, Math.Round(actual, 3));
    }

    /// <summary>ε(δ(ε)) = ε for the PLD, up to the grid's resolution.</summary>
    [Fact]
    public void EpsilonOfDeltaRoundTrips()
    {
        var mechanism = new SampledGaussian(0.02, 1.1, 500);
        Assert.Equal(1, Pld.Epsilon(mechanism, Pld.Delta(mechanism, 1)), 9);
        // The same on the composed distributions, built once, at more points.
        var directions = Pld.Directions(mechanism, Pld.DefaultInterval);
        foreach (double epsilon in (double[])[0.5, 2, 4])
        {
            double delta = directions.Max(d => d.Delta(epsilon));
            Assert.Equal(epsilon, directions.Max(d => d.Epsilon(delta)), 9);
        }
    }

    /// <summary>For subsampled DP-SGD the PLD is tighter than RDP, and the improved conversion tighter than the classic.</summary>
    [Fact]
    public void PldIsTighterThanRdp()
    {
        var mechanism = new SampledGaussian(256.0 / 60000, 1.1, Vectors.Steps(60, 60000, 256));
        double pld = new Accountant(AccountantKind.Pld).Epsilon(mechanism, 1e-5).Epsilon;
        double improved = new Accountant(AccountantKind.Rdp, RdpConversion.Improved).Epsilon(mechanism, 1e-5).Epsilon;
        double classic = new Accountant(AccountantKind.Rdp, RdpConversion.Classic).Epsilon(mechanism, 1e-5).Epsilon;
        Assert.True(pld < improved && improved < classic, $"PLD {pld}, improved {improved}, classic {classic}");
    }
}
