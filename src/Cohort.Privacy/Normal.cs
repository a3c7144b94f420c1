namespace Cohort.Privacy;

/// <summary>The standard normal distribution: its CDF Φ, log Φ deep into the tail, and its quantile.</summary>
internal static class Normal
{
    private const double SqrtPi = 1.7724538509055160273;
    private const double Sqrt2 = 1.4142135623730950488;

    /// <summary>Φ(x).</summary>
    public static double Cdf(double x) => Math.Exp(LogCdf(x));

    /// <summary>log Φ(x), finite for every finite x (Φ(−40) underflows a double; its logarithm does not).</summary>
    public static double LogCdf(double x)
    {
        if (double.IsNegativeInfinity(x))
        {
            return double.NegativeInfinity;
        }
        if (x > 0)
        {
            // Φ(x) = 1 − Φ(−x).
            return LogSpace.Log1p(-0.5 * Math.Exp(LogErfc(x / Sqrt2)));
        }
        return Math.Log(0.5) + LogErfc(-x / Sqrt2);
    }

    /// <summary>log erfc(z) for z ≥ 0.</summary>
    public static double LogErfc(double z)
    {
        if (z < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(z), "LogErfc takes z ≥ 0.");
        }
        if (z < 2.5)
        {
            return LogSpace.Log1p(-Erf(z));
        }
        // erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated bottom up; it converges faster the
        // larger z is (120 terms reach full precision at 2.5, a few dozen past 5).
        double tail = z;
        for (int k = (int)Math.Min(120, 24 + 600 / (z * z)); k >= 1; k--)
        {
            tail = z + k / 2.0 / tail;
        }
        return -z * z - Math.Log(SqrtPi) - Math.Log(tail);
    }

    /// <summary>erf(z) for 0 ≤ z &lt; 2.5 from its series of positive terms, e^{−z²} Σ 2ⁿ z^{2n+1}/(1·3·…·(2n+1)) · 2/√π.</summary>
    private static double Erf(double z)
    {
        double term = z, sum = z, z2 = z * z;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * z2 / (2 * n + 1);
            sum += term;
        }
        return 2 / SqrtPi * Math.Exp(-z2) * sum;
    }

    /// <summary>The x with log Φ(x) = <paramref name="logP"/>, by Newton's method on the concave log Φ (safeguarded by bisection).</summary>
    public static double QuantileOfLog(double logP)
    {
        if (!(logP < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(logP), "the log-probability must be negative.");
        }
        double lo = -60, hi = 40;
        double x = logP < -1 ? -Math.Sqrt(-2 * logP) : 0;
        for (int i = 0; i < 200; i++)
        {
            double f = LogCdf(x) - logP;
            if (f > 0)
            {
                hi = x;
            }
            else
            {
                lo = x;
            }
            // d/dx log Φ = φ/Φ.
            double slope = Math.Exp(-0.5 * x * x - 0.5 * Math.Log(2 * Math.PI) - LogCdf(x));
            double next = x - f / slope;
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }
            if (Math.Abs(next - x) <= 1e-15 * Math.Max(1, Math.Abs(x)))
            {
                return next;
            }
            x = next;
        }
        return x;
    }
}
