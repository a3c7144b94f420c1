namespace Cohort.Privacy;

/// <summary>
/// The privacy loss distribution accountant for the Poisson-subsampled Gaussian, as Google's dp_accounting builds it:
/// one step discretised on a grid of <see cref="DefaultInterval"/> by pessimistic connect-the-dots, composed by FFT, with
/// truncated tails moved to +∞; under add/remove neighbours the answer is the worse of the add and remove directions.
/// Every approximation raises δ, so the ε it gives is an upper bound within the discretisation's error of the exact one.
/// </summary>
public static class Pld
{
    /// <summary>dp_accounting's value_discretization_interval default.</summary>
    public const double DefaultInterval = 1e-4;

    /// <summary>Mass left outside a composition's grid (dp_accounting's self_compose default).</summary>
    private const double TailMass = 1e-15;

    /// <summary>The smallest ε for which the mechanism is (ε, δ)-DP.</summary>
    public static double Epsilon(SampledGaussian mechanism, double delta, double interval = DefaultInterval)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        SampledGaussian.CheckDelta(delta);
        if (mechanism.RevealsNothing)
        {
            return 0;
        }
        return mechanism.RevealsEverything ? double.PositiveInfinity : Directions(mechanism, interval).Max(d => d.Epsilon(delta));
    }

    /// <summary>The smallest δ for which the mechanism is (ε, δ)-DP.</summary>
    public static double Delta(SampledGaussian mechanism, double epsilon, double interval = DefaultInterval)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        SampledGaussian.CheckEpsilon(epsilon);
        if (mechanism.RevealsNothing)
        {
            return 0;
        }
        return mechanism.RevealsEverything ? 1 : Directions(mechanism, interval).Max(d => d.Delta(epsilon));
    }

    /// <summary>The composed distribution of each direction (one when q = 1, where add and remove coincide).</summary>
    internal static IReadOnlyList<LossDistribution> Directions(SampledGaussian mechanism, double interval)
    {
        if (!(interval > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), $"the discretisation interval must be positive; got {interval}.");
        }
        bool[] directions = mechanism.SamplingRate == 1 ? [true] : [true, false];
        return [.. directions.Select(remove => GaussianLoss.ConnectTheDots(mechanism.SamplingRate, mechanism.NoiseMultiplier, remove, interval)
            .SelfCompose(mechanism.Steps, TailMass))];
    }
}
