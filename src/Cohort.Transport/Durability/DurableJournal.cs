using System.Globalization;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Checkpoints;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;
using Cohort.Transport.Server;

namespace Cohort.Transport.Durability;

/// <summary>
/// The journal under --state: state.db (SQLite) and checkpoints/ (the server state after the last
/// completed round, the open round's aggregate). Files are written whole, then recorded in one
/// transaction, then the file they replace is removed, so a crash at any moment leaves a consistent pair.
/// The per-client vectors the server keeps (<paramref name="clientStates"/>) are saved with the server state, and the run's
/// byte and time totals (<paramref name="totals"/>) with the round they count through.
/// </summary>
internal sealed class DurableJournal(ServerStore store, string folder, ServerState server, ICheckpointedAggregator aggregator, ServerClientStates? clientStates = null, RunTotals? totals = null) : IRoundJournal
{
    private readonly string _checkpoints = Directory.CreateDirectory(Path.Combine(folder, "checkpoints")).FullName;
    private readonly MemoryStream _snapshot = new();
    private long _sequence;

    private readonly RunTotals _totals = totals ?? new();

    /// <summary>Loads the last completed round's state into the server and the totals through it, if there is one; returns that round.</summary>
    public int RestoreServer()
    {
        store.RestoreTotals(_totals);
        if (store.ModelCheckpoint is { } file)
        {
            string path = Path.Combine(_checkpoints, file);
            ServerCheckpoint.Read(path, server, clientStates is null ? null : reader => clientStates.Restore(reader.BaseStream, path));
        }
        return store.CompletedRound;
    }

    public void RoundOpening(int round) => CompleteThrough(round - 1, finished: false);

    /// <summary>Records the final model and marks the run finished.</summary>
    public void Finish(int rounds) => CompleteThrough(rounds, finished: true);

    public IReadOnlyList<AcceptedUpdate> Restore(int round)
    {
        if (store.AggregateFile(round) is not { } file)
        {
            return [];
        }
        using (var stream = File.OpenRead(Path.Combine(_checkpoints, file)))
        {
            aggregator.Restore(stream);
        }
        return store.Accepted(round);
    }

    public ReadOnlyMemory<byte> Snapshot()
    {
        // One buffer, reused: commits are serial and each is done with it before the next snapshot.
        _snapshot.SetLength(0);
        aggregator.Save(_snapshot);
        return _snapshot.GetBuffer().AsMemory(0, (int)_snapshot.Length);
    }

    public void Commit(int round, IReadOnlyList<AcceptedUpdate> updates, ReadOnlyMemory<byte> aggregate)
    {
        string? previous = store.LastAggregateFile;
        string file = string.Create(CultureInfo.InvariantCulture, $"aggregate-r{round}-{DateTime.UtcNow.Ticks}-{Interlocked.Increment(ref _sequence)}.bin");
        AtomicFile.Write(Path.Combine(_checkpoints, file), stream => stream.Write(aggregate.Span));
        store.CommitUpdates(round, updates, file);
        Remove(previous);
    }

    private void CompleteThrough(int round, bool finished)
    {
        // Nothing completed yet, or already recorded (a resumed round opening again).
        if ((round == 0 && !finished) || round < store.CompletedRound || (round == store.CompletedRound && (!finished || store.Finished)))
        {
            return;
        }
        string? previous = store.ModelCheckpoint;
        string file = string.Create(CultureInfo.InvariantCulture, $"server-r{round}.bin");
        ServerCheckpoint.Write(Path.Combine(_checkpoints, file), server, clientStates is null ? null : writer =>
        {
            writer.Flush();
            clientStates.Save(writer.BaseStream);
        });
        store.CompleteRound(round, file, finished, _totals);
        if (previous != file)
        {
            Remove(previous);
        }
    }

    private void Remove(string? file)
    {
        if (file is not null)
        {
            File.Delete(Path.Combine(_checkpoints, file));
        }
    }
}
