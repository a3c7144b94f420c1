using Cohort.Federated.Config;

namespace Cohort.Federated.Privacy;

/// <summary>
/// Adaptive clipping (Andrew et al. 2021, "Differentially private learning with adaptive clipping"): C
/// follows the γ-quantile of the update norms. Each round counts the updates C left unclipped, centred
/// as bᵢ − ½ (so one client moves the count by at most ½), adds N(0, σ_b²), divides by the expected
/// cohort qN and adds ½ back: b̄ (clamped to [0, 1]); then C ← C·exp(−η(b̄ − γ)). The count is a second
/// Gaussian release, with noise multiplier 2σ_b; so that the pair costs what one release of multiplier
/// z does, the sum's multiplier is raised to σ_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2) (the paper's Theorem 1),
/// as TensorFlow Privacy's quantile estimator does.
/// </summary>
internal sealed class AdaptiveClipping(double targetQuantile, double learningRate, double countNoise)
{
    /// <summary>γ: the share of updates C should leave unclipped.</summary>
    public double TargetQuantile { get; } = targetQuantile;

    /// <summary>η of the geometric update.</summary>
    public double LearningRate { get; } = learningRate;

    /// <summary>σ_b: the standard deviation of the count's noise.</summary>
    public double CountNoise { get; } = countNoise;

    /// <summary>The rule privacy.adaptive turns on (null when off); σ_b defaults to the expected cohort over 20, as the paper recommends.</summary>
    public static AdaptiveClipping? From(ExperimentConfig config, double expectedCohort) => !config.GetBool("privacy.adaptive") ? null
        : new AdaptiveClipping(config.GetDouble("privacy.target_quantile"), config.GetDouble("privacy.clip_lr"), config.GetOptionalDouble("privacy.count_noise") ?? expectedCohort / 20);

    /// <summary>σ_Δ for a total noise multiplier z; a count noise too small to leave the sum any budget is an error naming both keys.</summary>
    public double SumNoiseMultiplier(double z)
    {
        if (z == 0)
        {
            return 0;
        }
        if (!(2 * CountNoise > z))
        {
            throw new ConfigException($"privacy.count_noise: σ_b = {CountNoise:G6} leaves no budget for the sum; adaptive clipping needs σ_b > z/2 = {z / 2:G6} (privacy.noise_multiplier {z:G6}), since σ_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2).");
        }
        return 1 / Math.Sqrt(1 / (z * z) - 1 / (4 * CountNoise * CountNoise));
    }

    /// <summary>
    /// The next C from this round's: <paramref name="unclipped"/> of <paramref name="counted"/> updates had
    /// norm at most C; <paramref name="standardNormal"/> is the count noise's draw over σ_b.
    /// </summary>
    public double Next(double clip, int unclipped, int counted, double expectedCohort, double standardNormal)
    {
        double centred = unclipped - 0.5 * counted + CountNoise * standardNormal;
        double below = Math.Clamp(centred / expectedCohort + 0.5, 0, 1);
        return clip * Math.Exp(-LearningRate * (below - TargetQuantile));
    }
}
