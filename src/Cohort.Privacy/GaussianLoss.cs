namespace Cohort.Privacy;

/// <summary>
/// One step of the Poisson-subsampled Gaussian as a privacy loss distribution, for one direction of add/remove
/// neighbours. With noise N(0, σ²) and sensitivity 1:
/// <list type="bullet">
/// <item>remove: P = (1 − q)N(0, σ²) + qN(1, σ²) against Q = N(0, σ²), δ(ε) = q·δ_G(log(1 + (e^ε − 1)/q)) for ε &gt; log(1 − q);</item>
/// <item>add: P = N(0, σ²) against Q = (1 − q)N(0, σ²) + qN(1, σ²), δ(ε) = c·δ_G(log(q·e^ε/c)) with c = 1 − (1 − q)e^ε;</item>
/// </list>
/// where δ_G(ε) = Φ(1/(2σ) − εσ) − e^ε Φ(−1/(2σ) − εσ) is the Gaussian's (Balle and Wang 2018, Theorem 8).
/// </summary>
internal static class GaussianLoss
{
    /// <summary>Each end of the noise beyond e^{−50} of its mass is cut (dp_accounting's log_mass_truncation_bound).</summary>
    private const double LogTruncatedMass = -50;

    /// <summary>The exact δ(ε) of one step in the <paramref name="remove"/> direction (or add).</summary>
    public static double Delta(double q, double sigma, bool remove, double epsilon)
    {
        if (q == 1)
        {
            return GaussianDelta(sigma, epsilon);
        }
        if (remove)
        {
            double log1mq = LogSpace.Log1p(-q);
            if (epsilon <= log1mq)
            {
                return -LogSpace.Expm1(epsilon);
            }
            return q * GaussianDelta(sigma, Math.Log(LogSpace.Expm1(epsilon) / q + 1));
        }
        double logC = LogSpace.Log1p(-Math.Exp(epsilon + LogSpace.Log1p(-q)));
        if (double.IsNaN(logC) || double.IsNegativeInfinity(logC))
        {
            return 0;
        }
        return Math.Exp(logC) * GaussianDelta(sigma, Math.Log(q) + epsilon - logC);
    }

    /// <summary>δ_G(ε) for N(0, σ²) against N(1, σ²), formed from logarithms so that tiny values keep their digits.</summary>
    public static double GaussianDelta(double sigma, double epsilon)
    {
        double logA = Normal.LogCdf(0.5 / sigma - epsilon * sigma);
        double logB = epsilon + Normal.LogCdf(-0.5 / sigma - epsilon * sigma);
        return logB >= logA ? 0 : Math.Exp(logA) * -LogSpace.Expm1(logB - logA);
    }

    /// <summary>The losses of one step in a direction once each end of the noise beyond e^{−50} of its mass is cut.</summary>
    public static (double Lower, double Upper) LossRange(double q, double sigma, bool remove)
    {
        double z = Normal.QuantileOfLog(LogTruncatedMass) * sigma;
        // P's outputs, cut: the remove direction's mixture reaches 1 further right. The loss is monotone in between.
        double a = Loss(q, sigma, remove, z), b = Loss(q, sigma, remove, -z + (remove ? 1 : 0));
        return (Math.Min(a, b), Math.Max(a, b));
    }

    /// <summary>log(P(x)/Q(x)) at output x.</summary>
    private static double Loss(double q, double sigma, bool remove, double x)
    {
        // Gaussian loss log(N(1,σ²)(x)/N(0,σ²)(x)) = (2x − 1)/(2σ²).
        double gaussian = (2 * x - 1) / (2 * sigma * sigma);
        double log1mq = q == 1 ? double.NegativeInfinity : LogSpace.Log1p(-q);
        return remove
            ? LogSpace.Add(log1mq, Math.Log(q) + gaussian)
            : -LogSpace.Add(log1mq, Math.Log(q) + gaussian);
    }

    /// <summary>
    /// The pessimistic connect-the-dots distribution (Doroshenko et al. 2022, dp_accounting's default for the Gaussian):
    /// on the grid ε_j = jΔ over the loss range, the masses whose δ(ε), linear in e^ε between grid points, meets the exact
    /// δ at every ε_j. δ is convex in e^ε, so the chords lie above it: the result bounds δ from above everywhere.
    /// </summary>
    public static LossDistribution ConnectTheDots(double q, double sigma, bool remove, double interval)
    {
        var (lowLoss, highLoss) = LossRange(q, sigma, remove);
        long first = (long)Math.Floor(lowLoss / interval), last = (long)Math.Ceiling(highLoss / interval);
        long count = last - first + 1;
        if (count > LossDistribution.MaxFftLength)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma),
                $"σ = {sigma} spreads one step's losses over {count} points at interval {interval}; use the RDP accountant or a coarser interval.");
        }
        var delta = new double[count];
        for (long j = 0; j < count; j++)
        {
            delta[j] = Delta(q, sigma, remove, (first + j) * interval);
        }
        // With x_j = e^{ε_j}, the mass at ε_j is x_j times the change of slope there: ((δ_{j+1} − δ_j) − e^Δ(δ_j − δ_{j−1}))/(e^Δ − 1);
        // beyond the last point δ stays at its value there, the mass at +∞.
        double growth = Math.Exp(interval), denominator = LogSpace.Expm1(interval);
        var mass = new double[count];
        double infinity = delta[count - 1], finite = 0;
        for (long j = count - 1; j >= 1; j--)
        {
            double right = j + 1 < count ? delta[j + 1] - delta[j] : 0;
            double left = delta[j] - delta[j - 1];
            mass[j] = Math.Max(0, (right - growth * left) / denominator);
            finite += mass[j];
        }
        mass[0] = Math.Max(0, 1 - infinity - finite);
        return new LossDistribution(interval, first, mass, infinity);
    }
}
