namespace Cohort.Privacy;

/// <summary>
/// Rényi DP of the Poisson-subsampled Gaussian mechanism under add/remove-one neighbours (Mironov, Talwar and Zhang 2019,
/// "Rényi Differential Privacy of the Sampled Gaussian Mechanism"): RDP(α) = log(A_α)/(α − 1) per step, composed by adding
/// over steps. Integer orders sum the binomial expansion exactly (§3.2); fractional orders split the integral at z₀ and sum
/// two series (§3.3), as dp_accounting's rdp_privacy_accountant does.
/// </summary>
public static class Rdp
{
    /// <summary>dp_accounting's DEFAULT_RDP_ORDERS: 1.1, 1.2, …, 10.9, then 11, …, 63, then 128, 256, 512, 1024.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(11, 53).Select(x => (double)x), 128, 256, 512, 1024];

    /// <summary>The fractional-order series stops here; an order that has not converged is left out (RDP = ∞).</summary>
    private const int MaxFractionalTerms = 1000;

    /// <summary>RDP of <paramref name="mechanism"/>'s T steps at each order (∞ where none holds).</summary>
    public static double[] Compute(SampledGaussian mechanism, IReadOnlyList<double> orders)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        ArgumentNullException.ThrowIfNull(orders);
        var rdp = new double[orders.Count];
        for (int i = 0; i < rdp.Length; i++)
        {
            if (!(orders[i] > 1))
            {
                throw new ArgumentOutOfRangeException(nameof(orders), $"RDP orders must exceed 1; got {orders[i]}.");
            }
            rdp[i] = mechanism.RevealsNothing ? 0 : mechanism.Steps * OneStep(mechanism.SamplingRate, mechanism.NoiseMultiplier, orders[i]);
        }
        return rdp;
    }

    /// <summary>RDP of one step at order α.</summary>
    internal static double OneStep(double q, double sigma, double alpha)
    {
        if (q == 0)
        {
            return 0;
        }
        if (sigma == 0 || double.IsPositiveInfinity(alpha))
        {
            return double.PositiveInfinity;
        }
        if (q == 1)
        {
            return alpha / (2 * sigma * sigma);
        }
        return LogA(q, sigma, alpha) / (alpha - 1);
    }

    /// <summary>log A_α, where A_α = E_{x~N(0,σ²)}[((1 − q) + q·e^{(2x − 1)/(2σ²)})^α].</summary>
    internal static double LogA(double q, double sigma, double alpha) =>
        alpha == Math.Floor(alpha) ? LogAInteger(q, sigma, (int)alpha) : LogAFractional(q, sigma, alpha);

    /// <summary>A_α = Σᵢ C(α, i) qⁱ (1 − q)^{α−i} e^{(i² − i)/(2σ²)} for integer α.</summary>
    internal static double LogAInteger(double q, double sigma, int alpha)
    {
        double logA = double.NegativeInfinity;
        double log1mq = LogSpace.Log1p(-q), logq = Math.Log(q);
        for (int i = 0; i <= alpha; i++)
        {
            double logCoefficient = LogSpace.LogBinomial(alpha, i) + i * logq + (alpha - i) * log1mq;
            logA = LogSpace.Add(logA, logCoefficient + (i * (double)i - i) / (2 * sigma * sigma));
        }
        return logA;
    }

    /// <summary>
    /// A_α for fractional α: the integrals over (−∞, z₀] and [z₀, ∞) with z₀ = σ² log(1/q − 1) + ½, each a series in
    /// erfc terms; the terms' magnitudes are summed, as dp_accounting does, which can only raise A_α (a safe bound).
    /// </summary>
    internal static double LogAFractional(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        double z0 = sigma * sigma * Math.Log(1 / q - 1) + 0.5;
        double log1mq = LogSpace.Log1p(-q), logq = Math.Log(q);
        double lastS0 = double.NegativeInfinity, lastS1 = double.NegativeInfinity;
        double sqrt2Sigma = Math.Sqrt(2) * sigma;
        for (int i = 0; i < MaxFractionalTerms; i++)
        {
            double logCoefficient = LogSpace.LogBinomial(alpha, i);
            double j = alpha - i;
            double logT0 = logCoefficient + i * logq + j * log1mq;
            double logT1 = logCoefficient + j * logq + i * log1mq;
            double logE0 = Math.Log(0.5) + LogErfcAnywhere((i - z0) / sqrt2Sigma);
            double logE1 = Math.Log(0.5) + LogErfcAnywhere((z0 - j) / sqrt2Sigma);
            double logS0 = logT0 + (i * (double)i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            logA0 = LogSpace.Add(logA0, logS0);
            logA1 = LogSpace.Add(logA1, logS1);
            double total = LogSpace.Add(logA0, logA1);
            // Both series decreasing and their terms negligible beside the total.
            if (logS0 < lastS0 && logS1 < lastS1 && Math.Max(logS0, logS1) < total - 30)
            {
                return total;
            }
            lastS0 = logS0;
            lastS1 = logS1;
        }
        return double.PositiveInfinity;
    }

    /// <summary>log erfc(x) for any real x: erfc(x) = 2Φ(−x√2).</summary>
    private static double LogErfcAnywhere(double x) => Math.Log(2) + Normal.LogCdf(-x * Math.Sqrt(2));
}
