namespace Cohort.Privacy;

/// <summary>Which analysis turns a mechanism into (ε, δ).</summary>
public enum AccountantKind
{
    /// <summary>Rényi DP over <see cref="Accountant.Orders"/>, converted by <see cref="Accountant.Conversion"/>.</summary>
    Rdp,

    /// <summary>The discretised privacy loss distribution (<see cref="Pld"/>).</summary>
    Pld,
}

/// <summary>An (ε, δ) guarantee and, for RDP, the order that gave it.</summary>
public sealed record PrivacyGuarantee(double Epsilon, double Delta, double? Order);

/// <summary>One way of accounting: the analysis, and for RDP its orders and conversion; for PLD its grid.</summary>
public sealed record Accountant(AccountantKind Kind = AccountantKind.Rdp, RdpConversion Conversion = RdpConversion.Improved)
{
    /// <summary>The RDP orders (dp_accounting's defaults unless given).</summary>
    public IReadOnlyList<double> Orders { get; init; } = Rdp.DefaultOrders;

    /// <summary>The PLD's discretisation interval.</summary>
    public double Interval { get; init; } = Pld.DefaultInterval;

    /// <summary>The smallest ε for which <paramref name="mechanism"/> is (ε, <paramref name="delta"/>)-DP.</summary>
    public PrivacyGuarantee Epsilon(SampledGaussian mechanism, double delta)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        SampledGaussian.CheckDelta(delta);
        if (Kind == AccountantKind.Pld)
        {
            return new PrivacyGuarantee(Pld.Epsilon(mechanism, delta, Interval), delta, null);
        }
        if (mechanism.RevealsNothing)
        {
            return new PrivacyGuarantee(0, delta, null);
        }
        var (epsilon, order) = RdpToDp.Epsilon(Orders, Rdp.Compute(mechanism, Orders), delta, Conversion);
        // No order gives a finite ε when every RDP is infinite.
        return new PrivacyGuarantee(epsilon, delta, double.IsPositiveInfinity(epsilon) ? null : order);
    }

    /// <summary>The smallest δ for which <paramref name="mechanism"/> is (<paramref name="epsilon"/>, δ)-DP.</summary>
    public PrivacyGuarantee Delta(SampledGaussian mechanism, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        SampledGaussian.CheckEpsilon(epsilon);
        if (Kind == AccountantKind.Pld)
        {
            return new PrivacyGuarantee(epsilon, Pld.Delta(mechanism, epsilon, Interval), null);
        }
        if (mechanism.RevealsNothing)
        {
            return new PrivacyGuarantee(epsilon, 0, null);
        }
        var (delta, order) = RdpToDp.Delta(Orders, Rdp.Compute(mechanism, Orders), epsilon, Conversion);
        return new PrivacyGuarantee(epsilon, delta, order);
    }
}
