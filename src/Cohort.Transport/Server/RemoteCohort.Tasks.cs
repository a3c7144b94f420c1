using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>The task side of the deployed cohort executor: each client's long poll for its next task, and the end of the run.</summary>
internal sealed partial class RemoteCohort
{
    /// <summary>After the last round: every poll answers FINISHED.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            Signal();
        }
    }

    /// <summary>Whether every given client has been told the run is finished.</summary>
    public bool AllTold(IEnumerable<int> clients)
    {
        lock (_gate)
        {
            return clients.All(_told.Contains);
        }
    }

    public bool Finished
    {
        get
        {
            lock (_gate)
            {
                return _finished;
            }
        }
    }

    /// <summary>The client's task now, waiting up to <paramref name="wait"/> for one to appear.</summary>
    public async Task<WorkTask> NextTaskAsync(int client, TimeSpan wait, CancellationToken cancel)
    {
        var until = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_finished)
                {
                    _told.Add(client);
                    return new WorkTask { Kind = WorkTask.Types.Kind.Finished, Client = client };
                }
                if (_stopping)
                {
                    // A stopping server finishes the requests in flight but hands out no new work.
                    return new WorkTask { Kind = WorkTask.Types.Kind.Wait, Client = client, RetryAfterMs = 1000 };
                }
                if (_open is { Closed: false, Full: false } open && open.TaskFor(client) is { Accepted: false } assignment)
                {
                    return open.Describe(client, assignment, _template);
                }
                if (_evaluation is { Closed: false } evaluation && evaluation.Owes(client))
                {
                    return evaluation.Describe(client, _template);
                }
                changed = _changed.Task;
            }
            var left = until - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return new WorkTask { Kind = WorkTask.Types.Kind.Wait, Client = client, RetryAfterMs = 1000 };
            }
            await Task.WhenAny(changed, Task.Delay(left, cancel)).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>From now on every client is told to wait: the first step of a server's stop, before its run is cancelled.</summary>
    public void StopHandingOutTasks()
    {
        lock (_gate)
        {
            _stopping = true;
            Signal();
        }
    }
}
