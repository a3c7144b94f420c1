using System.Globalization;
using System.Numerics.Tensors;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Privacy;

/// <summary>
/// Client-level central DP, DP-FedAvg (McMahan et al. 2018, "Learning differentially private recurrent
/// language models"), run by the server's hooks: each received update is clipped to L2 norm C; the
/// round's sum gets N(0, (zC)²) on every coordinate and is divided by the expected cohort qN, a fixed
/// denominator (the drawn cohort's size would depend on who took part), as the accountant analyses it.
/// The rate q is the cohort sampler's own, which must be Poisson. With adaptive clipping
/// (<see cref="AdaptiveClipping"/>) C moves each round and the sum's multiplier is raised so that the
/// count and the sum together cost one release of multiplier z. C and the steps taken are server state
/// (checkpointed); the noise of round r comes from the (seed, dp.noise, r) stream, so a resumed run draws what an uninterrupted one would.
/// </summary>
internal sealed class CentralDpStage : IUpdateStage
{
    public static StageDeclaration Declaration { get; } = new("dp-central", "client-level central DP (DP-FedAvg): the server clips each update to C, adds N(0, (zC)²) to their sum and divides by the expected cohort",
        PrivacyKeys.Mechanism, a => a.Config.Get(PrivacyKeys.Mechanism) == "central" ? [Create(a)] : []);

    private const string ClipScalar = "dp.clip";
    private const string StepsScalar = "dp.steps";
    private static readonly long NoisePurpose = RandomStream.Purpose("dp.noise");

    private readonly StageServerState _state;
    private readonly double _sumMultiplier;
    private readonly double _expectedCohort;
    private readonly ClippingMeter _meter;
    private int _received;
    private int _unclipped;
    private double _reportedClip = double.NaN;
    private double _reportedEpsilon = double.NaN;

    public CentralDpStage(PrivacyBudget budget, double clip, double expectedCohort, AdaptiveClipping? adaptive, ClippingMeter meter)
    {
        Budget = budget;
        Adaptive = adaptive;
        _state = new StageServerState(new StateDeclaration("dp-central").Scalar(ClipScalar).Scalar(StepsScalar), r => r.SetScalar(ClipScalar, clip));
        _expectedCohort = expectedCohort;
        _sumMultiplier = adaptive?.SumNoiseMultiplier(budget.NoiseMultiplier) ?? budget.NoiseMultiplier;
        _meter = meter;
    }

    public PrivacyBudget Budget { get; }

    public AdaptiveClipping? Adaptive { get; }

    public string Name => "dp-central";

    public bool ChangesReceived => true;

    /// <summary>The stage the keys configure, its rate taken from the run's sampler; a sampler the accountant does not analyse is refused.</summary>
    private static CentralDpStage Create(StageArgs args)
    {
        var config = args.Config;
        // A deployed client builds the stages without the server's sampler: the same keys give the same one.
        var sampler = args.Sampler ?? CohortSampler.From(Experiment.From(config));
        if (sampler.PoissonRate is not { } q)
        {
            throw new ConfigException($"privacy.mechanism central: the accountant analyses Poisson sampling of clients, but {CohortSampler.Key} draws {sampler.Describe()}; set {CohortSampler.Key}: poisson (the rate q is then clients_per_round).");
        }
        if (config.Get("aggregation.weighting") != "uniform")
        {
            throw new ConfigException("privacy.mechanism central: each client's clipped update must weigh the same for its sensitivity to be C; set aggregation.weighting: uniform.");
        }
        if (config.GetBool("cohort_per_exchange"))
        {
            throw new ConfigException("privacy.mechanism central: cohort_per_exchange draws a cohort per exchange, which the accountant does not analyse; set it false.");
        }
        return new CentralDpStage(PrivacyBudget.From(config, q, config.GetDouble("privacy.noise_multiplier")), config.GetDouble("privacy.clip"),
            sampler.ExpectedSize, AdaptiveClipping.From(config, sampler.ExpectedSize), args.Clipping);
    }

    public void BeginRound(int round)
    {
        _received = 0;
        _unclipped = 0;
    }

    public bool OnReceived(StageContext context, Span<float> update)
    {
        bool shortened = NormClippingStage.Clip(update, _state.On(context.Server!).Scalar(ClipScalar));
        _meter.Count(shortened ? 1 : 0, 1);
        Interlocked.Increment(ref _received);
        if (!shortened)
        {
            Interlocked.Increment(ref _unclipped);
        }
        return true;
    }

    /// <summary>The aggregate is the mean of the received updates; their sum is it times their count (uniform weights), noised, over qN.</summary>
    public void OnServer(StageContext context, Span<float> aggregate)
    {
        if (context.Exchanges > 1)
        {
            throw new ConfigException($"privacy.mechanism central: the method has {context.Exchanges} exchanges a round, each a release the accountant would have to count; use a method with one.");
        }
        var state = _state.On(context.Server!);
        double clip = state.Scalar(ClipScalar);
        var noise = RandomStream.Create(context.Seed, NoisePurpose, context.Round);
        TensorPrimitives.Multiply(aggregate, (float)_received, aggregate);
        GaussianNoise.AddScaled(ref noise, aggregate, (float)(_sumMultiplier * clip), (float)(1 / _expectedCohort));
        if (Adaptive is not null)
        {
            Span<float> draw = [0f];
            GaussianNoise.AddScaled(ref noise, draw, 1f, 1f);
            state.SetScalar(ClipScalar, Adaptive.Next(clip, _unclipped, _received, _expectedCohort, draw[0]));
        }
        long steps = (long)state.Scalar(StepsScalar) + 1;
        state.SetScalar(StepsScalar, steps);
        _reportedClip = clip;
        _reportedEpsilon = Budget.Epsilon(steps);
    }

    public void Report(RoundMetrics metrics)
    {
        metrics.Extra["epsilon"] = _reportedEpsilon;
        metrics.Extra["clip"] = _reportedClip;
        _meter.Record(metrics);
    }

    public string? StopsBefore(int round, ServerState server) => Budget.StopsBefore(round, Steps(server));

    public IEnumerable<(string Key, string Value)> Statements(ServerState server) =>
    [
        ("privacy_mechanism", "client-level central DP (DP-FedAvg" + (Adaptive is null ? "" : ", adaptive clipping") + ")"),
        ("privacy_neighbours", "add or remove one client"),
        ("privacy_sampler", $"poisson, q = {Budget.Rate.ToString("R", CultureInfo.InvariantCulture)} of the clients each round"),
        ("privacy_denominator", $"the expected cohort qN = {_expectedCohort.ToString("R", CultureInfo.InvariantCulture)}, fixed"),
        .. Budget.Statements(Steps(server)),
    ];

    private long Steps(ServerState server) => (long)_state.On(server).Scalar(StepsScalar);
}
