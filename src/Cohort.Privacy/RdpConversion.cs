namespace Cohort.Privacy;

/// <summary>How an RDP curve becomes an (ε, δ) guarantee.</summary>
public enum RdpConversion
{
    /// <summary>Mironov 2017, Proposition 3: ε = min_α [RDP(α) + log(1/δ)/(α − 1)].</summary>
    Classic,

    /// <summary>Balle et al. 2020, Theorem 21 (as dp_accounting's compute_epsilon and compute_delta): ε = min_α [RDP(α) + log(1 − 1/α) − log(δα)/(α − 1)], with the KL bound for small α.</summary>
    Improved,
}

/// <summary>RDP → (ε, δ) and back, minimised over the orders; each answer names the order that gave it.</summary>
internal static class RdpToDp
{
    /// <summary>Below this order the improved bound is numerically unstable and not useful (dp_accounting's 1.01).</summary>
    private const double MinImprovedOrder = 1.01;

    /// <summary>The smallest ε, over the orders, for which the curve gives (ε, δ)-DP; and the order that gave it.</summary>
    public static (double Epsilon, double Order) Epsilon(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta, RdpConversion conversion)
    {
        SampledGaussian.CheckDelta(delta);
        var (epsilon, order) = Minimise(orders, rdp, (a, r) => conversion == RdpConversion.Classic ? ClassicEpsilon(a, r, delta) : ImprovedEpsilon(a, r, delta));
        return (Math.Max(0, epsilon), order);
    }

    /// <summary>The smallest δ, over the orders, for which the curve gives (ε, δ)-DP; and the order that gave it.</summary>
    public static (double Delta, double Order) Delta(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double epsilon, RdpConversion conversion)
    {
        SampledGaussian.CheckEpsilon(epsilon);
        var (logDelta, order) = Minimise(orders, rdp, (a, r) => conversion == RdpConversion.Classic ? ClassicLogDelta(a, r, epsilon) : ImprovedLogDelta(a, r, epsilon));
        return (Math.Min(Math.Exp(logDelta), 1.0), order);
    }

    /// <summary>The least of <paramref name="bound"/>(α, RDP(α)) over the orders, and the first order that attains it.</summary>
    private static (double Value, double Order) Minimise(IReadOnlyList<double> orders, IReadOnlyList<double> rdp, Func<double, double, double> bound)
    {
        Check(orders, rdp);
        double best = double.PositiveInfinity, bestOrder = orders[0];
        for (int i = 0; i < orders.Count; i++)
        {
            double value = bound(orders[i], rdp[i]);
            if (value < best)
            {
                best = value;
                bestOrder = orders[i];
            }
        }
        return (best, bestOrder);
    }

    // A zero Rényi divergence means identical outputs: ε = 0 and δ = 0 whatever the order.
    private static double ClassicEpsilon(double a, double r, double delta) => r <= 0 ? 0 : r + Math.Log(1 / delta) / (a - 1);

    private static double ClassicLogDelta(double a, double r, double epsilon) =>
        r <= 0 ? double.NegativeInfinity : double.IsPositiveInfinity(r) ? 0 : Math.Min(0, (a - 1) * (r - epsilon));

    private static double ImprovedEpsilon(double a, double r, double delta)
    {
        if (r < 0)
        {
            return 0;
        }
        // KL bound: δ ≤ sqrt(1 − e^{−KL}), and RDP(α) ≥ KL.
        if (delta * delta + LogSpace.Expm1(-r) > 0)
        {
            return 0;
        }
        if (a > MinImprovedOrder)
        {
            return r + LogSpace.Log1p(-1 / a) - Math.Log(delta * a) / (a - 1);
        }
        return double.PositiveInfinity;
    }

    private static double ImprovedLogDelta(double a, double r, double epsilon)
    {
        if (r <= 0)
        {
            return double.NegativeInfinity;
        }
        if (double.IsPositiveInfinity(r))
        {
            return 0;
        }
        double logDelta = 0.5 * LogSpace.Log1p(-Math.Exp(-r));
        if (a > MinImprovedOrder)
        {
            logDelta = Math.Min(logDelta, (a - 1) * (r - epsilon + LogSpace.Log1p(-1 / a)) - Math.Log(a));
        }
        return logDelta;
    }

    private static void Check(IReadOnlyList<double> orders, IReadOnlyList<double> rdp)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(rdp);
        if (orders.Count != rdp.Count || orders.Count == 0)
        {
            throw new ArgumentException($"orders ({orders.Count}) and RDP values ({rdp.Count}) must be as many, and at least one.", nameof(rdp));
        }
        foreach (double a in orders)
        {
            if (!(a > 1))
            {
                throw new ArgumentOutOfRangeException(nameof(orders), $"RDP orders must exceed 1; got {a}.");
            }
        }
    }
}
