using System.Globalization;
using Cohort.Federated.Config;
using Cohort.Privacy;

namespace Cohort.Federated.Privacy;

/// <summary>
/// The accounting of a private run: one release per step of the Poisson-subsampled Gaussian with rate q
/// and noise multiplier σ, composed over the steps taken, turned into ε at <see cref="Delta"/> by the
/// configured accountant and conversion (privacy.accountant, privacy.conversion), with the stop that
/// privacy.target_epsilon asks for.
/// </summary>
internal sealed class PrivacyBudget(Accountant accountant, double rate, double noiseMultiplier, double delta, double? target)
{
    public Accountant Accountant { get; } = accountant;

    /// <summary>q: the probability that a given record is in a step.</summary>
    public double Rate { get; } = rate;

    /// <summary>σ: the noise's standard deviation over the sensitivity.</summary>
    public double NoiseMultiplier { get; } = noiseMultiplier;

    public double Delta { get; } = delta;

    public double? Target { get; } = target;

    /// <summary>The budget the privacy.* keys configure for a mechanism of rate <paramref name="rate"/> and multiplier <paramref name="noiseMultiplier"/>.</summary>
    public static PrivacyBudget From(ExperimentConfig config, double rate, double noiseMultiplier)
    {
        var kind = config.Get("privacy.accountant") == "pld" ? AccountantKind.Pld : AccountantKind.Rdp;
        var conversion = config.Get("privacy.conversion") == "classic" ? RdpConversion.Classic : RdpConversion.Improved;
        return new PrivacyBudget(new Accountant(kind, conversion), rate, noiseMultiplier, config.GetDouble("privacy.delta"), config.GetOptionalDouble("privacy.target_epsilon"));
    }

    /// <summary>ε at <see cref="Delta"/> after <paramref name="steps"/> steps.</summary>
    public double Epsilon(long steps) => Accountant.Epsilon(new SampledGaussian(Rate, NoiseMultiplier, steps), Delta).Epsilon;

    /// <summary>Why the run must stop before its next step, when that step would take ε past the target; null otherwise.</summary>
    public string? StopsBefore(int round, long stepsTaken)
    {
        if (Target is not { } target)
        {
            return null;
        }
        double next = Epsilon(stepsTaken + 1);
        return next <= target ? null
            : string.Create(CultureInfo.InvariantCulture, $"privacy.target_epsilon: stopped before round {round}, which would take ε from {Epsilon(stepsTaken):G6} to {next:G6} at δ = {Delta:G6}, past the target {target:G6}");
    }

    /// <summary>The accountant and conversion by name, as the summary and the <c>cohort privacy</c> command write them.</summary>
    public IEnumerable<(string Key, string Value)> Statements(long steps) =>
    [
        ("privacy_accountant", Accountant.Kind == AccountantKind.Pld ? "pld" : "rdp"),
        ("privacy_conversion", Accountant.Kind == AccountantKind.Pld ? "none (PLD needs no conversion)" : Accountant.Conversion == RdpConversion.Classic ? "classic" : "improved"),
        ("privacy_q", Rate.ToString("R", CultureInfo.InvariantCulture)),
        ("privacy_noise_multiplier", NoiseMultiplier.ToString("R", CultureInfo.InvariantCulture)),
        ("privacy_steps", steps.ToString(CultureInfo.InvariantCulture)),
        ("privacy_delta", Delta.ToString("R", CultureInfo.InvariantCulture)),
        ("privacy_epsilon", Epsilon(steps).ToString("R", CultureInfo.InvariantCulture)),
    ];
}
