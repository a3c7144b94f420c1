using System.Globalization;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Privacy;

/// <summary>
/// The accounting of DP-SGD on pooled data (<c>mode: centralized</c>, Abadi et al. 2016): every step draws
/// each of the N pooled examples with probability q = min(1, B/N), the rate the training samples at
/// (<see cref="DpSgdOptions.Rate"/>), clips each example's gradient to C, adds N(0, (σC)²) to their sum and
/// divides by the expected batch qN; a round is client.epochs epochs (or client.steps steps) of such steps,
/// so after r rounds the accountant composes r times the round's steps. The centralized baseline reports
/// to it and asks it whether to stop; it keeps no state of its own (the round is the server's).
/// </summary>
internal sealed class PooledDpSgdStage : IUpdateStage
{
    public static StageDeclaration Declaration { get; } = new("dp-sgd-pooled", "DP-SGD on the pooled data of a centralized run (Abadi et al. 2016): the accountant composes every Poisson-sampled, clipped and noised step",
        PrivacyKeys.Mechanism, a => a.Config.Get(PrivacyKeys.Mechanism) == "dp-sgd" && a.Config.Get("mode") == "centralized" ? [Create(a)] : []);

    private readonly double _clip;
    private readonly Lazy<(PrivacyBudget Budget, long StepsPerRound, int Examples)> _accounting;

    /// <summary>The stage the keys configure; <paramref name="examples"/> gives N, the pooled examples, asked for once the run holds its data.</summary>
    public PooledDpSgdStage(ExperimentConfig config, Func<int> examples)
    {
        _clip = config.GetDouble("privacy.clip");
        _accounting = new(() =>
        {
            var experiment = Experiment.From(config);
            int n = examples();
            var budget = PrivacyBudget.From(config, DpSgdOptions.Rate(experiment.Client.BatchSize, n), config.GetDouble("privacy.noise_multiplier"));
            return (budget, experiment.Client.StepsFor(n, experiment.Seed, 0, -1), n);
        });
    }

    public PrivacyBudget Budget => _accounting.Value.Budget;

    public string Name => "dp-sgd-pooled";

    private static PooledDpSgdStage Create(StageArgs args)
    {
        var samples = args.ClientSamples ?? throw new ConfigException("privacy.mechanism dp-sgd with mode centralized: runs simulated only, where the pooled data's size is known.");
        int clients = args.Config.GetInt("partition.clients");
        return new PooledDpSgdStage(args.Config, () => Enumerable.Range(0, clients).Sum(samples));
    }

    private long Steps(int rounds) => _accounting.Value.StepsPerRound * rounds;

    public void Report(RoundMetrics metrics)
    {
        metrics.Extra["epsilon"] = Budget.Epsilon(Steps(metrics.Round));
        metrics.Extra["clip"] = _clip;
    }

    public string? StopsBefore(int round, ServerState server) =>
        Budget.Target is { } target && Budget.Epsilon(Steps(round)) is var next && next > target
            ? string.Create(CultureInfo.InvariantCulture, $"privacy.target_epsilon: stopped before round {round}, which would take ε to {next:G6} at δ = {Budget.Delta:G6}, past the target {target:G6}")
            : null;

    public IEnumerable<(string Key, string Value)> Statements(ServerState server) =>
    [
        ("privacy_mechanism", "sample-level DP-SGD on the pooled data (centralized)"),
        ("privacy_neighbours", "add or remove one example of the pooled data"),
        ("privacy_sampler", string.Create(CultureInfo.InvariantCulture, $"poisson over the N = {_accounting.Value.Examples} pooled examples at every step, q = min(1, B/N) = {Budget.Rate:R}")),
        ("privacy_denominator", string.Create(CultureInfo.InvariantCulture, $"the expected batch qN = {Math.Min(Budget.Rate * _accounting.Value.Examples, _accounting.Value.Examples):R}, fixed, at every step")),
        .. Budget.Statements(Steps(server.Round)),
    ];
}
