using Cohort.Federated.Algorithms;
using Cohort.Federated.Diagnostics;

namespace Cohort.Federated.Engine;

/// <summary>
/// One exchange of a round as the server hands it out: who takes part, the model they start from, which
/// of the method's exchanges it is and the other server vectors the method broadcasts with it.
/// <see cref="Round"/> is the version of that model (the server's step counter: the round in synchronous
/// runs); the clients' random streams are keyed by it, with their client id and the exchange.
/// </summary>
public sealed record CohortRound(int Round, int[] Clients, ReadOnlyMemory<float> Global, ReadOnlyMemory<float> Buffers)
{
    private static readonly Dictionary<string, float[]> NoVectors = [];

    /// <summary>The method's exchange within the round (0 for methods with one exchange).</summary>
    public int Exchange { get; init; }

    /// <summary>
    /// With a compressed downlink, the frame of C(model − previous view) that turns the previous round's view
    /// into <see cref="Global"/> (exchange 0 only); empty when the model goes out dense.
    /// </summary>
    public ReadOnlyMemory<byte> ModelMessage { get; init; }

    /// <summary>The server vectors broadcast with this exchange besides the model, by name.</summary>
    public IReadOnlyDictionary<string, float[]> Downlink { get; init; } = NoVectors;

    /// <summary>Whether each client reports its drift (<see cref="ClientReport.Drift"/>) with its update; only in-process clients report it.</summary>
    internal bool MeasuresDrift { get; init; }
}

/// <summary>What a client reports with its update: its local result and the bytes its encoded update took.</summary>
public readonly record struct ClientReport(ClientResult Result, long UplinkBytes)
{
    /// <summary>The client's model buffers after its local work (batch-norm running statistics), averaged like the update; empty when not reported.</summary>
    public ReadOnlyMemory<float> Buffers { get; init; }

    /// <summary>The method's other uplink values (the vectors and scalars its uplink layout names); null when the client sent only the update.</summary>
    public ClientBuffers? Uplink { get; init; }

    /// <summary>The model version the update was computed from (<see cref="CohortRound.Round"/> of the exchange the client ran); null: the version the exchange broadcast.</summary>
    public int? Version { get; init; }

    /// <summary>What the client measured for the round's drift diagnostics (null: not asked, see <see cref="CohortRound.MeasuresDrift"/>).</summary>
    internal ClientDrift? Drift { get; init; }
}

/// <summary>
/// Receives one finished update: a slot in the round (0 … cohort size − 1, each used once; a client's
/// own cohort position unless a remote executor over-selected and a stand-in took it), the client, the
/// update after the client stages, and its report. An empty update is one the aggregate already
/// holds (a resumed server's): only its report is taken.
/// </summary>
public delegate void UpdateSink(int slot, int client, ReadOnlySpan<float> update, ClientReport report);

/// <summary>
/// A cohort executor that sends each client the model in the form that client can use (deployed: the
/// compressed difference to a client holding the previous round's view, the dense view to one that does
/// not) and counts what it sent.
/// </summary>
internal interface IModelBytesMeter
{
    /// <summary>Bytes of the model sent in the last exchange 0 run, over the clients whose updates it took.</summary>
    long ModelBytesSent { get; }
}

/// <summary>
/// Runs the client half of a round's exchange (local work and the client stages) wherever the clients are, and
/// hands each update to the server half. In-process workers and remote clients are both cohort
/// executors; the round loop, algorithms and aggregators do not know which.
/// </summary>
public interface ICohortExecutor
{
    /// <summary>Training samples a client holds (its aggregation weight under samples weighting).</summary>
    int Samples(int client);

    /// <summary>
    /// Runs the round; <paramref name="accept"/> is called once per update that is taken into the round,
    /// possibly from several threads at once. Returns how many updates were taken.
    /// </summary>
    int Run(CohortRound round, UpdateSink accept, CancellationToken cancel);

    /// <summary>Whether the clients' training data is in this process, so the server may measure their gradients (round diagnostics).</summary>
    bool HoldsClientData => false;
}
