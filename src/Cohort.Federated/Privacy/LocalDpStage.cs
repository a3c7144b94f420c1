using System.Globalization;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Privacy;

/// <summary>
/// Local DP: each client clips its own update to L2 norm C and adds N(0, (zC)²) to every coordinate
/// before it leaves (the client hook), so the server, trusted or not, sees only noised updates. The
/// guarantee is each client's own: any two data sets of a client give updates at most 2C apart, so each
/// release is a Gaussian mechanism of multiplier z/2, with no amplification by sampling (the server sees
/// who took part), composed over the client's releases. The server counts each client's releases
/// (checkpointed) and reports as <c>epsilon</c> the ε of the client that has released most.
/// </summary>
internal sealed class LocalDpStage : IUpdateStage
{
    public static StageDeclaration Declaration { get; } = new("dp-local", "local DP: each client clips its update to C and adds N(0, (zC)²) before sending it; ε per client",
        PrivacyKeys.Mechanism, a => a.Config.Get(PrivacyKeys.Mechanism) == "local" ? [Create(a)] : []);

    private static readonly long NoisePurpose = RandomStream.Purpose("dp.local");

    private readonly double _clip;
    private readonly ClippingMeter _meter;
    private readonly ClientReleases _releases;

    public LocalDpStage(PrivacyBudget perClient, double clip, int clients, ClippingMeter meter)
    {
        PerClient = perClient;
        _clip = clip;
        _meter = meter;
        _releases = new ClientReleases("dp-local", clients);
    }

    /// <summary>One client's accounting: rate 1, multiplier z/2, a step per release.</summary>
    public PrivacyBudget PerClient { get; }

    public string Name => "dp-local";

    private static LocalDpStage Create(StageArgs args)
    {
        double z = args.Config.GetDouble("privacy.noise_multiplier");
        int clients = args.Sampler?.Clients ?? args.Config.GetInt("partition.clients");
        return new LocalDpStage(PrivacyBudget.From(args.Config, 1, z / 2), args.Config.GetDouble("privacy.clip"), clients, args.Clipping);
    }

    public long OnClient(StageContext context, Span<float> update)
    {
        _meter.Count(NormClippingStage.Clip(update, _clip) ? 1 : 0, 1);
        var noise = ExchangeState.Stream(context, NoisePurpose);
        GaussianNoise.AddScaled(ref noise, update, (float)(2 * PerClient.NoiseMultiplier * _clip), 1f);
        return IUpdateStage.KeepsEncoding;
    }

    /// <summary>Counts the client's release (each client sends once a round, so no two threads share a count).</summary>
    public bool OnReceived(StageContext context, Span<float> update)
    {
        _releases.Count(context.Server!, context.Client);
        return true;
    }

    public void Report(RoundMetrics metrics)
    {
        if (_releases.Current is { } releases)
        {
            metrics.Extra["epsilon"] = PerClient.Epsilon(ClientReleases.Most(releases));
            metrics.Extra["clip"] = _clip;
        }
        _meter.Record(metrics);
    }

    /// <summary>The run stops before a round in which the client that has released most would pass the target.</summary>
    public string? StopsBefore(int round, ServerState server) => PerClient.StopsBefore(round, ClientReleases.Most(_releases.On(server)));

    public IEnumerable<(string Key, string Value)> Statements(ServerState server) =>
    [
        ("privacy_mechanism", "local DP (each client clips and noises its own update)"),
        ("privacy_neighbours", "any two data sets of one client (replace-one-client, sensitivity 2C); ε is per client, that of the client with the most releases"),
        ("privacy_sampler", "none: the server sees who took part, so sampling does not amplify"),
        ("privacy_denominator", "the aggregator's own (the releases are already private)"),
        ("privacy_clients_released", _releases.On(server).Count(n => n > 0).ToString(CultureInfo.InvariantCulture)),
        .. PerClient.Statements(ClientReleases.Most(_releases.On(server))),
    ];
}
