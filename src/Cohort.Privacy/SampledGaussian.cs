namespace Cohort.Privacy;

/// <summary>
/// The mechanism every accountant here analyses: <see cref="Steps"/> rounds, each adding N(0, σ²C²) to a sum of
/// records clipped to L2 norm C, over a Poisson sample that holds each record with probability <see cref="SamplingRate"/>.
/// Neighbouring data sets differ by adding or removing one record.
/// </summary>
public sealed record SampledGaussian
{
    public SampledGaussian(double samplingRate, double noiseMultiplier, long steps)
    {
        if (!(samplingRate >= 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), $"the sampling rate q must lie in [0, 1]; got {samplingRate}.");
        }
        if (!(noiseMultiplier >= 0) || double.IsPositiveInfinity(noiseMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), $"the noise multiplier σ must be finite and at least 0; got {noiseMultiplier}.");
        }
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), $"the number of steps must be at least 0; got {steps}.");
        }
        SamplingRate = samplingRate;
        NoiseMultiplier = noiseMultiplier;
        Steps = steps;
    }

    /// <summary>q: the probability that the sample holds a given record.</summary>
    public double SamplingRate { get; }

    /// <summary>σ: the noise's standard deviation over the clipping norm.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>T: how many times the mechanism runs.</summary>
    public long Steps { get; }

    /// <summary>No record is ever used (q = 0 or T = 0): nothing is revealed.</summary>
    public bool RevealsNothing => SamplingRate == 0 || Steps == 0;

    /// <summary>Records are used without noise (σ = 0): no finite guarantee exists.</summary>
    public bool RevealsEverything => !RevealsNothing && NoiseMultiplier == 0;

    /// <summary>The same mechanism with another noise multiplier.</summary>
    public SampledGaussian WithNoise(double noiseMultiplier) => new(SamplingRate, noiseMultiplier, Steps);

    /// <summary>The same mechanism run another number of times.</summary>
    public SampledGaussian WithSteps(long steps) => new(SamplingRate, NoiseMultiplier, steps);

    /// <summary>δ must lie in (0, 1).</summary>
    public static void CheckDelta(double delta)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), $"δ must lie in (0, 1); got {delta}.");
        }
    }

    /// <summary>ε must be at least 0 (∞ allowed: δ(∞) is the chance of unbounded loss).</summary>
    public static void CheckEpsilon(double epsilon)
    {
        if (!(epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"ε must be at least 0; got {epsilon}.");
        }
    }
}
