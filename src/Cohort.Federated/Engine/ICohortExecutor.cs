using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Engine;

/// <summary>One round's work as the server hands it out: who takes part and the model they start from.</summary>
public sealed record CohortRound(int Round, int[] Clients, ReadOnlyMemory<float> Global, ReadOnlyMemory<float> Buffers);

/// <summary>What a client reports with its update: its local result and the bytes its encoded update took.</summary>
public readonly record struct ClientReport(ClientResult Result, long UplinkBytes);

/// <summary>
/// Receives one finished update: a slot in the round (0 … cohort size − 1, each used once; a client's
/// own cohort position unless a remote executor over-selected and a stand-in took it), the client, the
/// update after the client stages, and its report. An empty update is one the aggregate already
/// holds (a resumed server's): only its report is taken.
/// </summary>
public delegate void UpdateSink(int slot, int client, ReadOnlySpan<float> update, ClientReport report);

/// <summary>
/// Runs the client half of a round (local work and the client stages) wherever the clients are, and
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
}
