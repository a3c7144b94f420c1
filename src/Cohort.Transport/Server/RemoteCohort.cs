using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Federated.State;
using Cohort.Transport.Durability;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// The deployed cohort executor: a round is published as one task per sampled client; clients pull
/// their task, download the broadcast, train where their data is and upload; each valid upload is
/// handed to the round loop's sink (the aggregator) and dropped. The round closes when its rules say so.
/// </summary>
internal sealed partial class RemoteCohort : ICohortExecutor, IModelBytesMeter, IDisposable
{
    private readonly object _gate = new();
    private readonly ClientRegistry _registry;
    private readonly TaskTemplate _template;
    private readonly RoundRules _rules;
    private readonly IngestSlots _slots;
    private readonly UploadFormat _format;
    private readonly ServerClientStates _serverStates;
    private readonly ClientVector? _serverState;
    private readonly HashSet<int> _told = [];
    private IRoundJournal? _journal;
    private bool _updatesMidRound;
    private int _lastRound;
    private UpdateCommitter _committer;
    private OpenRound? _open;
    private OpenRound? _lastClosed;
    private TaskCompletionSource _changed = NewSignal();
    private bool _finished;
    private bool _stopping;

    private readonly Action<string> _log;

    /// <summary>How long a round or an evaluation waits without a word before the server says what it waits for.</summary>
    private static readonly TimeSpan StallNotice = TimeSpan.FromSeconds(60);

    internal RemoteCohort(ClientRegistry registry, TaskTemplate template, RoundRules rules, int ingestSlots, UploadFormat format, UplinkDecoder? decoder, ServerClientStates serverStates, Action<string>? log = null)
    {
        _log = log ?? (_ => { });
        _registry = registry;
        _template = template;
        _rules = rules;
        _slots = new IngestSlots(ingestSlots, (int)template.Model.Parameters);
        _format = format;
        _serverStates = serverStates;
        _serverState = decoder?.State;
        _committer = new UpdateCommitter(null, _gate, TimeSpan.Zero);
    }

    public TaskTemplate Template => _template;

    /// <summary>
    /// Records rounds in a journal from now on (call before the first round), and with
    /// <paramref name="updatesMidRound"/> each accepted update too, so a restart resumes inside the round.
    /// Without it a round is the unit: one interrupted is run again from its start, its clients train again.
    /// </summary>
    public void UseJournal(IRoundJournal journal, bool updatesMidRound)
    {
        _journal = journal;
        _updatesMidRound = updatesMidRound;
        if (updatesMidRound)
        {
            _committer.Dispose();
            _committer = new UpdateCommitter(journal, _gate, TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Counts of what happened to uploads (for the server's records and the dashboard).</summary>
    public UploadCounters Counters { get; } = new();

    /// <summary>The open round, its updates on record and its cohort size (all 0 between rounds).</summary>
    public (int Round, int Reported, int CohortSize) Progress()
    {
        lock (_gate)
        {
            return _open is { } open ? (open.Round, open.Reported, open.CohortSize) : (0, 0, 0);
        }
    }

    public int Samples(int client) => (int)(_registry.Find(client)?.TrainSamples ?? 0);

    public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
    {
        // The clients' evaluation after a round stops with the run too.
        _runCancel = cancel;
        if (round.Round != _lastRound)
        {
            // The previous round is complete: the per-client vectors its updates moved become the state (and go into its checkpoint).
            CloseLastRound();
            _lastRound = round.Round;
        }
        _journal?.RoundOpening(round.Round);
        var open = new OpenRound(round, OverSelection.StandIns(round, _rules, _registry, _template.Seed), accept);
        // A round that was open when the server stopped: its aggregate and the updates in it come back.
        foreach (var restored in _updatesMidRound ? _journal!.Restore(round.Round) : [])
        {
            var result = new ClientResult((int)restored.Samples, restored.LossSum, (int)restored.Batches);
            open.Restore(restored.Client, new ClientReport(result, restored.UplinkBytes));
        }
        lock (_gate)
        {
            _open = open;
            Signal();
        }
        try
        {
            var deadline = _rules.Deadline is { } d ? DateTimeOffset.UtcNow + d : (DateTimeOffset?)null;
            open.Deadline = deadline;
            var notice = DateTimeOffset.UtcNow + StallNotice;
            string name = round.Exchange == 0 ? $"round {round.Round}" : $"exchange {round.Exchange} of round {round.Round}";
            while (!cancel.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (open.Reported >= round.Clients.Length || (deadline is { } at && DateTimeOffset.UtcNow >= at && open.Reported >= _rules.MinClients))
                    {
                        break;
                    }
                    if (DateTimeOffset.UtcNow >= notice)
                    {
                        string rule = deadline is { } passed && DateTimeOffset.UtcNow >= passed ? $"; its deadline has passed, and it closes once {_rules.MinClients} (--min-clients) are in" : "";
                        _log($"{name}: {open.Reported} of {round.Clients.Length} updates so far; waiting for clients {string.Join(", ", open.Missing(round.Clients))}{rule}.");
                        notice = DateTimeOffset.UtcNow + StallNotice;
                    }
                }
                ThrowIfNotRecorded();
                open.Progress.Wait(TimeSpan.FromMilliseconds(200), CancellationToken.None);
                open.Progress.Reset();
            }
            cancel.ThrowIfCancellationRequested();
            lock (_gate)
            {
                ModelBytesSent = open.ModelBytesOfTaken();
                if (open.Reported < round.Clients.Length)
                {
                    _log($"{name} closed at its deadline with {open.Reported} of {round.Clients.Length} updates; none from clients {string.Join(", ", open.Missing(round.Clients))}.");
                }
            }
            // Every update in the aggregate is on record before the round's result is applied.
            _committer.Flush();
            ThrowIfNotRecorded();
            return open.Reported;
        }
        finally
        {
            lock (_gate)
            {
                open.Closed = true;
                KeepForLateUploads(open);
                _open = null;
                _lastClosed = open;
                Signal();
            }
        }
    }

    /// <summary>The last round run is complete: the per-client vectors the server keeps take its updates' values.</summary>
    public void CloseLastRound() => _serverStates.CompleteRound();

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

    public void Dispose()
    {
        StopHandingOutTasks();
        _committer.Dispose();
    }

    private void ThrowIfNotRecorded()
    {
        if (_committer.Failure is { } failure)
        {
            throw new IOException($"the server could not record accepted updates ({failure.Message}); it stops, and a restart resumes from its last record.", failure);
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
