using Cohort.Transport.Durability;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// Group commit of accepted updates: every few milliseconds the updates added since the last commit
/// are recorded with a snapshot of the aggregate that holds them, and only then are their uploads
/// answered. A server that stops before a commit never said "accepted", so those clients send again.
/// Without a journal an update is answered at once.
/// </summary>
internal sealed class UpdateCommitter : IDisposable
{
    private readonly IRoundJournal? _journal;
    private readonly object _roundGate;
    private readonly object _commitGate = new();
    private readonly List<(AcceptedUpdate Update, TaskCompletionSource Done)> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _loop;

    public UpdateCommitter(IRoundJournal? journal, object roundGate, TimeSpan interval)
    {
        _journal = journal;
        _roundGate = roundGate;
        if (journal is not null)
        {
            _loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(interval);
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        Flush();
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopping.
                }
            });
        }
    }

    /// <summary>Why recording failed, when it did; the round loop stops on it.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Queues an update that has just joined the aggregate (call while holding the round's lock); completes when it is durable.</summary>
    public Task Add(AcceptedUpdate update)
    {
        if (_journal is null)
        {
            return Task.CompletedTask;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Add((update, done));
        return done.Task;
    }

    /// <summary>Commits what is pending now (call without holding the round's lock).</summary>
    public void Flush()
    {
        if (_journal is null)
        {
            return;
        }
        lock (_commitGate)
        {
            List<(AcceptedUpdate Update, TaskCompletionSource Done)> batch;
            ReadOnlyMemory<byte> snapshot;
            lock (_roundGate)
            {
                if (_pending.Count == 0 || _stop.IsCancellationRequested)
                {
                    return;
                }
                batch = [.. _pending];
                _pending.Clear();
                // Taken under the round's lock: the snapshot holds exactly the batch and what came before.
                snapshot = _journal.Snapshot();
            }
            try
            {
                _journal.Commit(batch[0].Update.Round, batch.Select(b => b.Update).ToList(), snapshot);
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The aggregate now holds updates the records do not: the run must stop here, and a
                // restart resumes from the last commit, where both agree.
                Failure = e;
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(new ProtocolException(503, $"update: the server could not record it ({e.Message}) and stops; send it again after its restart."));
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop?.Wait(TimeSpan.FromSeconds(5));
        lock (_roundGate)
        {
            foreach (var (_, done) in _pending)
            {
                done.TrySetException(new ProtocolException(503, "update: the server is stopping before it recorded this update; send it again."));
            }
            _pending.Clear();
        }
        _stop.Dispose();
    }
}
