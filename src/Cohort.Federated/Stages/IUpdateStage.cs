using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Stages;

/// <summary>What a stage knows about the update it transforms; methods with several exchanges a round number them from 0.</summary>
public readonly record struct StageContext(int Round, int Client, ulong Seed, int Exchange = 0)
{
    /// <summary>Server hooks: the cohort's share of the total client weight, Σ_S w / Σ_all w (|S|/N with uniform weights).</summary>
    public double Participation { get; init; } = 1;

    /// <summary>Server hooks: the clients of the round's cohort, in cohort order (empty on a client).</summary>
    public IReadOnlyList<int> Cohort { get; init; } = [];

    /// <summary>Server hooks: the aggregation weight of each cohort member, in the order of <see cref="Cohort"/>.</summary>
    public IReadOnlyList<double> Weights { get; init; } = [];

    /// <summary>The per-update server hook: the aggregation weight of the update received.</summary>
    public double Weight { get; init; }

    /// <summary>Server hooks: how many exchanges the round has (the last is <c>Exchanges − 1</c>).</summary>
    public int Exchanges { get; init; } = 1;

    /// <summary>Server hooks: the server's state, where a stage declares what it keeps between rounds (saved with it).</summary>
    public ServerState? Server { get; init; }

    /// <summary>The model version the update was computed from (the server's step counter; the round in synchronous runs).</summary>
    public int Version
    {
        get => _version ?? Round;
        init => _version = value;
    }

    /// <summary>The per-update server hook: server steps taken since the update's model version (0 in synchronous runs).</summary>
    public int Staleness => Asynchrony.Staleness(Round, Version);

    private readonly int? _version;
}

/// <summary>Takes an update a stage held back: its client, its values and its aggregation weight.</summary>
public delegate void HeldUpdateSink(int client, ReadOnlySpan<float> update, double weight);

/// <summary>
/// One step of the update pipeline (clipping, compression with error feedback, noise, masking,
/// weighting): a client hook applied to each update before it leaves the client, a server hook applied
/// to each update the server receives (before it is aggregated), and a server hook applied to the
/// aggregate (and, for a stage that holds updates back, one at the exchange's end). Server hooks run in reverse order of the stages, so a stage can undo what it did on the
/// client (an encoding, a mask) after every later stage has undone its own. A stage reports its own
/// metrics into the round's record.
/// </summary>
public interface IUpdateStage
{
    /// <summary>What <see cref="OnClient"/> returns when the stage leaves the update's encoding as it was.</summary>
    const long KeepsEncoding = -1;

    string Name { get; }

    /// <summary>Transforms a client's update in place; returns the bytes the encoded update takes on the wire, or <see cref="KeepsEncoding"/>.</summary>
    long OnClient(StageContext context, Span<float> update) => KeepsEncoding;

    /// <summary>
    /// Whether <see cref="OnReceived"/> writes to the update. Only then does the server copy each received
    /// update for the stages to work on; a stage that says false must only read it.
    /// </summary>
    bool ChangesReceived => false;

    /// <summary>
    /// Looks at (and, when <see cref="ChangesReceived"/>, transforms in place) one received update before it
    /// is aggregated; false refuses it. Called for different updates from several threads at once, so what
    /// it counts must not depend on their order.
    /// </summary>
    bool OnReceived(StageContext context, Span<float> update) => true;

    /// <summary>
    /// Whether the stage keeps this received update back, to hand it on from <see cref="OnExchangeEnd"/>
    /// once the exchange's other updates are in (a simulated attack crafting from the honest ones). Asked
    /// of every update before any per-update hook; a held update is neither refused nor aggregated now.
    /// </summary>
    bool Holds(StageContext context, ReadOnlySpan<float> update) => false;

    /// <summary>
    /// Every update of the exchange is in: hands the updates the stage held on to <paramref name="release"/>,
    /// which runs them through every per-update hook and aggregates them; returns how many it handed on.
    /// </summary>
    int OnExchangeEnd(StageContext context, HeldUpdateSink release) => 0;

    /// <summary>Transforms the aggregate of an exchange in place.</summary>
    void OnServer(StageContext context, Span<float> aggregate)
    {
    }

    /// <summary>A new round starts on the server: what the stage counts per round starts again.</summary>
    void BeginRound(int round)
    {
    }

    /// <summary>Adds what the stage measured in the round to the round's metrics (evaluated rounds only).</summary>
    void Report(RoundMetrics metrics)
    {
    }

    /// <summary>Why the run must stop before <paramref name="round"/> (a privacy budget the round would pass), or null to go on.</summary>
    string? StopsBefore(int round, ServerState server) => null;

    /// <summary>What the stage states in the run's summary (a private run's guarantee: its neighbours, denominator, accountant and conversion).</summary>
    IEnumerable<(string Key, string Value)> Statements(ServerState server) => [];
}
