using System.Globalization;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Privacy;

/// <summary>
/// The accounting of sample-level DP-SGD inside the clients (<see cref="DpSgdOptions"/>; the clients'
/// training does the clipping and noise): one client's examples enter only its own updates, so its
/// guarantee is that of its local steps, each a Poisson-subsampled Gaussian of rate q = min(1, B/n) and
/// multiplier σ, τ steps per round it took part in. The server counts each client's releases
/// (checkpointed) and reports as <c>epsilon</c> the largest ε over the clients.
/// </summary>
internal sealed class DpSgdStage : IUpdateStage
{
    public static StageDeclaration Declaration { get; } = new("dp-sgd", "sample-level DP-SGD inside each client (Abadi et al. 2016): the server accounts each client's ε over its Poisson-sampled, clipped and noised local steps",
        PrivacyKeys.Mechanism, a => a.Config.Get(PrivacyKeys.Mechanism) == "dp-sgd" && a.Config.Get("mode") == "federated" ? [Create(a)] : []);

    private readonly ExperimentConfig _config;
    private readonly LocalWork _work;
    private readonly ulong _seed;
    private readonly Func<int, int> _samples;
    private readonly ClientReleases _releases;
    private readonly Dictionary<double, PrivacyBudget> _budgets = [];
    private readonly Dictionary<(double Rate, long Steps), double> _epsilons = [];

    private DpSgdStage(ExperimentConfig config, LocalWork work, ulong seed, Func<int, int> samples, int clients)
    {
        _config = config;
        _work = work;
        _seed = seed;
        _samples = samples;
        _releases = new ClientReleases("dp-sgd", clients);
    }

    public string Name => "dp-sgd";

    private static DpSgdStage Create(StageArgs args)
    {
        var experiment = Experiment.From(args.Config);
        return new DpSgdStage(args.Config, experiment.Client, experiment.Seed, args.ClientSamples ?? (_ => 0), experiment.Clients);
    }

    public bool OnReceived(StageContext context, Span<float> update)
    {
        _releases.Count(context.Server!, context.Client);
        return true;
    }

    public void Report(RoundMetrics metrics)
    {
        if (_releases.Current is { } releases)
        {
            metrics.Extra["epsilon"] = Worst(releases, 0).Epsilon;
            metrics.Extra["clip"] = _config.GetDouble("privacy.clip");
        }
    }

    /// <summary>The run stops before a round in which some client, if sampled, would pass the target.</summary>
    public string? StopsBefore(int round, ServerState server)
    {
        if (_config.GetOptionalDouble("privacy.target_epsilon") is not { } target)
        {
            return null;
        }
        var (client, epsilon) = Worst(_releases.On(server), 1);
        return epsilon <= target ? null
            : string.Create(CultureInfo.InvariantCulture, $"privacy.target_epsilon: stopped before round {round}, which would take client {client}'s ε to {epsilon:G6} at δ = {_config.GetDouble("privacy.delta"):G6}, past the target {target:G6}");
    }

    public IEnumerable<(string Key, string Value)> Statements(ServerState server)
    {
        var releases = _releases.On(server);
        var (client, _) = Worst(releases, 0);
        var (rate, steps) = Account(client, releases[Math.Max(client, 0)]);
        return
        [
            ("privacy_mechanism", "sample-level DP-SGD inside each client"),
            ("privacy_neighbours", "add or remove one example of a client's data; ε is per client, the largest over the clients"),
            ("privacy_sampler", "poisson over each client's examples at every local step, q = min(1, B/n)"),
            ("privacy_denominator", "the expected batch qn = min(B, n), fixed, at every step"),
            .. Budget(rate).Statements(steps),
        ];
    }

    /// <summary>The client of largest ε after <paramref name="extra"/> more releases each (−1 and 0 when none has released).</summary>
    private (int Client, double Epsilon) Worst(ReadOnlySpan<float> releases, int extra)
    {
        (int Client, double Epsilon) worst = (-1, 0);
        for (int k = 0; k < releases.Length; k++)
        {
            if (releases[k] + extra > 0)
            {
                var key = Account(k, releases[k] + extra);
                if (!_epsilons.TryGetValue(key, out double epsilon))
                {
                    epsilon = _epsilons[key] = Budget(key.Rate).Epsilon(key.Steps);
                }
                worst = epsilon > worst.Epsilon ? (k, epsilon) : worst;
            }
        }
        return worst;
    }

    /// <summary>A client's rate and its steps over <paramref name="releases"/> rounds (none for no client).</summary>
    private (double Rate, long Steps) Account(int client, float releases)
    {
        if (client < 0)
        {
            return (1, 0);
        }
        int n = _samples(client);
        return (DpSgdOptions.Rate(_work.BatchSize, n), _work.StepsFor(n, _seed, 0, client) * (long)releases);
    }

    private PrivacyBudget Budget(double rate)
    {
        if (!_budgets.TryGetValue(rate, out var budget))
        {
            budget = _budgets[rate] = PrivacyBudget.From(_config, rate, _config.GetDouble("privacy.noise_multiplier"));
        }
        return budget;
    }
}
