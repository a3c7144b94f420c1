namespace Cohort.Privacy;

/// <summary>
/// Mechanism parameters from a target (ε, δ), by bracketing and bisection as dp_accounting's calibrate_dp_mechanism does:
/// ε falls as σ grows and rises with the steps, so each answer is the end of its bracket that meets the target.
/// </summary>
public static class Calibration
{
    /// <summary>σ is bisected until its bracket is this narrow relative to its upper end.</summary>
    public const double RelativeTolerance = 1e-5;

    /// <summary>Above this σ a target is called unreachable.</summary>
    private const double MaxNoise = 1e6;

    /// <summary>The steps are searched up to this count.</summary>
    public const long MaxSteps = 1L << 40;

    /// <summary>The smallest noise multiplier (within <see cref="RelativeTolerance"/>, never below it) for which T steps at rate q are (ε, δ)-DP.</summary>
    public static double Noise(Accountant accountant, double samplingRate, long steps, double epsilon, double delta)
    {
        ArgumentNullException.ThrowIfNull(accountant);
        SampledGaussian.CheckEpsilon(epsilon);
        SampledGaussian.CheckDelta(delta);
        var mechanism = new SampledGaussian(samplingRate, 1, steps);
        if (mechanism.RevealsNothing || double.IsPositiveInfinity(epsilon))
        {
            return 0;
        }
        bool Meets(double sigma) => accountant.Epsilon(mechanism.WithNoise(sigma), delta).Epsilon <= epsilon;
        double low = 0, high = 1;
        while (!Meets(high))
        {
            low = high;
            high *= 2;
            if (high > MaxNoise)
            {
                throw new ArgumentOutOfRangeException(nameof(epsilon), $"no noise multiplier up to {MaxNoise} reaches ε = {epsilon} at δ = {delta}.");
            }
        }
        // The count bounds a bracket whose lower end stays at 0 (a target so loose that any noise meets it).
        for (int i = 0; i < 200 && high - low > RelativeTolerance * high; i++)
        {
            double middle = 0.5 * (low + high);
            if (Meets(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }
        return high;
    }

    /// <summary>The dual: the most steps at rate q and noise σ that stay (ε, δ)-DP (0 when even one step does not; <see cref="MaxSteps"/> when the search ends first).</summary>
    public static long Steps(Accountant accountant, double samplingRate, double noiseMultiplier, double epsilon, double delta)
    {
        ArgumentNullException.ThrowIfNull(accountant);
        SampledGaussian.CheckEpsilon(epsilon);
        SampledGaussian.CheckDelta(delta);
        var mechanism = new SampledGaussian(samplingRate, noiseMultiplier, 1);
        bool Meets(long steps) => accountant.Epsilon(mechanism.WithSteps(steps), delta).Epsilon <= epsilon;
        if (!Meets(1))
        {
            return 0;
        }
        long low = 1, high = 2;
        while (Meets(high))
        {
            low = high;
            if (high >= MaxSteps)
            {
                return MaxSteps;
            }
            high *= 2;
        }
        while (high - low > 1)
        {
            long middle = low + (high - low) / 2;
            if (Meets(middle))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
