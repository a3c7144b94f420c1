using Cohort.Federated.Config;
using static Cohort.Federated.Config.Key;

namespace Cohort.Federated.Privacy;

/// <summary>The <c>privacy.*</c> keys: the mechanism, and the keys that apply while a mechanism is on.</summary>
internal static class PrivacyKeys
{
    public const string Mechanism = "privacy.mechanism";

    private static readonly string[] Mechanisms = ["central", "local", "dp-sgd"];

    public static IReadOnlyList<KeySpec> All { get; } =
    [
        Choice(Mechanism, "none", "differential privacy: central (DP-FedAvg: the server clips each client's update and noises their sum), local (each client clips and noises its own update) or dp-sgd (each client trains with DP-SGD: Poisson batches, per-example clipping, noise at every step)", ["none", .. Mechanisms]),
        .. While(Mechanisms,
            Number("privacy.noise_multiplier", "1", "z: the noise's standard deviation is z·C", 0),
            Number("privacy.clip", "1", "C: the L2 norm each client's update (dp-sgd: each example's gradient) is clipped to (with privacy.adaptive, its starting value)", 1e-12),
            Number("privacy.delta", "1e-5", "δ of the (ε, δ) guarantee reported as the epsilon metric", 1e-300, 0.5),
            Choice("privacy.accountant", "rdp", "the accountant: rdp (Rényi DP) or pld (privacy loss distribution)", "rdp", "pld"),
            Choice("privacy.conversion", "improved", "RDP to (ε, δ): classic (Mironov 2017) or improved (Balle et al. 2020)", "classic", "improved"),
            new KeySpec("privacy.target_epsilon", KeyType.Number, null, "stop before a round that would take ε (at privacy.delta) past this") { Optional = true, Min = 0 }),
        .. While(["central"],
            Boolean("privacy.adaptive", "false", "adaptive clipping (Andrew et al. 2021): C follows a target quantile of the update norms from a noisy count"),
            Number("privacy.target_quantile", "0.5", "adaptive clipping: the share of updates C should leave unclipped", 0, 1),
            Number("privacy.clip_lr", "0.2", "adaptive clipping: η of the geometric update C ← C·exp(−η(b̄ − γ))", 0),
            new KeySpec("privacy.count_noise", KeyType.Number, null, "adaptive clipping: σ_b, the noise on the count of unclipped updates (default: the expected cohort over 20)") { Optional = true, Min = 0 }),
    ];

    /// <summary>
    /// Diagnostics publish statistics of the clients' raw gradients and updates (zeta2, sigma2, drift,
    /// update_norm), which no guarantee covers: a private run must have them off.
    /// </summary>
    public static void Check(ExperimentConfig config)
    {
        string mechanism = config.Get(Mechanism);
        if (mechanism != "none" && config.GetBool("diagnostics.enabled"))
        {
            throw new ConfigException($"{Mechanism} {mechanism}: diagnostics.enabled publishes statistics of the clients' raw gradients and updates (zeta2, sigma2, drift, update_norm), which no guarantee covers; set diagnostics.enabled: false.");
        }
    }

    /// <summary>The keys as they apply while <see cref="Mechanism"/> is one of <paramref name="mechanisms"/>.</summary>
    private static IEnumerable<KeySpec> While(string[] mechanisms, params KeySpec[] keys) =>
        keys.Select(k => k with { AppliesWhen = new KeyCondition(Mechanism, mechanisms.ToDictionary(m => m, _ => k, StringComparer.Ordinal)) });
}
