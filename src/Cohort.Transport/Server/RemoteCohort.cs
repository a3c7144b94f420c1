using System.Numerics.Tensors;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Tensors.Random;
using Cohort.Transport.Durability;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>
/// The deployed cohort executor: a round is published as one task per sampled client; clients pull
/// their task, download the broadcast, train where their data is and upload; each valid upload is
/// handed to the round loop's sink (the aggregator) and dropped. The round closes when its rules say so.
/// </summary>
public sealed class RemoteCohort : ICohortExecutor, IDisposable
{
    private readonly object _gate = new();
    private readonly ClientRegistry _registry;
    private readonly TaskTemplate _template;
    private readonly RoundRules _rules;
    private readonly IngestSlots _slots;
    private readonly double? _maxNorm;
    private readonly HashSet<int> _told = [];
    private IRoundJournal? _journal;
    private UpdateCommitter _committer;
    private OpenRound? _open;
    private TaskCompletionSource _changed = NewSignal();
    private bool _finished;
    private bool _stopping;

    public RemoteCohort(ClientRegistry registry, TaskTemplate template, RoundRules rules, int ingestSlots, double? maxUpdateNorm = null)
    {
        _registry = registry;
        _template = template;
        _rules = rules;
        _slots = new IngestSlots(ingestSlots, (int)template.Model.Parameters);
        _maxNorm = maxUpdateNorm;
        _committer = new UpdateCommitter(null, _gate, TimeSpan.Zero);
    }

    public TaskTemplate Template => _template;

    /// <summary>Records rounds and accepted updates in a journal from now on (call before the first round).</summary>
    public void UseJournal(IRoundJournal journal)
    {
        _committer.Dispose();
        _journal = journal;
        _committer = new UpdateCommitter(journal, _gate, TimeSpan.FromMilliseconds(200));
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
        if (round.Exchange != 0 || round.Downlink.Count > 0)
        {
            throw new InvalidOperationException($"round {round.Round}: protocol v1 carries one exchange with the model only (exchange {round.Exchange}, {round.Downlink.Count} more vectors asked for).");
        }
        _journal?.RoundOpening(round.Round);
        var open = new OpenRound(round, StandIns(round), accept);
        // A round that was open when the server stopped: its aggregate and the updates in it come back.
        foreach (var restored in _journal?.Restore(round.Round) ?? [])
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
            while (!cancel.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (open.Reported >= round.Clients.Length || (deadline is { } at && DateTimeOffset.UtcNow >= at && open.Reported >= _rules.MinClients))
                    {
                        break;
                    }
                }
                ThrowIfNotRecorded();
                open.Progress.Wait(TimeSpan.FromMilliseconds(200), CancellationToken.None);
                open.Progress.Reset();
            }
            cancel.ThrowIfCancellationRequested();
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
                _open = null;
                Signal();
            }
        }
    }

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
                if (_open is { Closed: false, Full: false } open && open.TaskFor(client) is { Accepted: false } assignment)
                {
                    return Describe(open, client, assignment);
                }
                changed = _changed.Task;
            }
            var left = until - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || Volatile.Read(ref _stopping))
            {
                return new WorkTask { Kind = WorkTask.Types.Kind.Wait, Client = client, RetryAfterMs = 1000 };
            }
            await Task.WhenAny(changed, Task.Delay(left, cancel)).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The broadcast of an open round (parameters, then buffers), or a 409 when that round is not open.</summary>
    public (ReadOnlyMemory<float> Parameters, ReadOnlyMemory<float> Buffers) Broadcast(int client, int round)
    {
        lock (_gate)
        {
            if (_open is not { Closed: false } open || open.Round != round)
            {
                throw new ProtocolException(409, $"broadcast: round {round} is not open (open round: {(_open is { } o ? o.Round : "none")}).");
            }
            if (open.TaskFor(client) is null)
            {
                throw new ProtocolException(403, $"broadcast: client {client} is not in round {round}'s cohort.");
            }
            return (open.Global, open.Buffers);
        }
    }

    /// <summary>
    /// Takes one upload: header checks, then the values into an ingest slot (checked as they arrive),
    /// then, if the round is still open and the task still unclaimed, into the aggregate, exactly once.
    /// </summary>
    public async Task<UpdateReply> AcceptAsync(int client, Stream body, CancellationToken cancel)
    {
        var header = await DelimitedMessages.ReadAsync(body, UpdateHeader.Parser, "update header", cancel).ConfigureAwait(false)
            ?? throw new ProtocolException(400, "update: the body is empty; expected an UpdateHeader and the values.");
        OpenRound open;
        Task durable;
        lock (_gate)
        {
            open = _open is { Closed: false } o && o.Round == header.Round
                ? o
                : throw new ProtocolException(409, $"update: round {header.Round} is not open (late or early); open round: {(_open is { } r ? r.Round : "none")}.");
            var assignment = open.TaskFor(client)
                ?? throw new ProtocolException(403, $"update: client {client} is not in round {header.Round}'s cohort.");
            if (assignment.TaskId != header.TaskId)
            {
                throw new ProtocolException(403, $"update: task '{header.TaskId}' was not issued to client {client} for round {header.Round}.");
            }
            if (assignment.Accepted)
            {
                throw new ProtocolException(403, $"update: task '{header.TaskId}' was already accepted; a replayed upload changes nothing.");
            }
            if (assignment.Uploading)
            {
                throw new ProtocolException(409, $"update: an upload for task '{header.TaskId}' is already in progress.");
            }
            CheckShape(header, client);
            assignment.Uploading = true;
        }
        try
        {
            durable = await FoldAsync(open, header, client, body, cancel).ConfigureAwait(false);
            await durable.ConfigureAwait(false);
            lock (_gate)
            {
                // Counted toward closing the round only once on record.
                open.Reported++;
                Counters.CountAccepted(4 * header.Length);
            }
            open.Progress.Set();
            return new UpdateReply { Accepted = true, Round = header.Round };
        }
        finally
        {
            lock (_gate)
            {
                open.TaskFor(client)!.Uploading = false;
            }
        }
    }

    /// <summary>The server is stopping: polls answer WAIT at once, uploads not yet on record are refused (503) so their clients send again.</summary>
    /// <summary>
    /// Over-selection: besides the sampled cohort, tasks go to a few more registered clients, drawn from
    /// the (seed, round) stream, and the round takes the first cohort-size updates to arrive.
    /// </summary>
    private int[] StandIns(CohortRound round)
    {
        int extra = (int)Math.Ceiling(round.Clients.Length * _rules.OverSelect);
        if (extra == 0)
        {
            return [];
        }
        var cohort = round.Clients.ToHashSet();
        var candidates = _registry.All().Select(r => r.Client).Where(c => !cohort.Contains(c)).ToArray();
        RandomStream.Create(_template.Seed, RandomStream.Purpose("overselect"), round.Round).Shuffle(candidates.AsSpan());
        return candidates[..Math.Min(extra, candidates.Length)];
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Signal();
        }
        _committer.Dispose();
    }

    private void ThrowIfNotRecorded()
    {
        if (_committer.Failure is { } failure)
        {
            throw new IOException($"the server could not record accepted updates ({failure.Message}); it stops, and a restart resumes from its last record.", failure);
        }
    }

    /// <summary>Reads an upload into an ingest slot, checks it, and adds it to the round; the slot is free again before the update is on record.</summary>
    private async Task<Task> FoldAsync(OpenRound open, UpdateHeader header, int client, Stream body, CancellationToken cancel)
    {
        using var slot = await _slots.TakeAsync(cancel).ConfigureAwait(false);
        var values = slot.Buffer.AsMemory(0, (int)header.Length);
        await VectorChunks.ReadAsync(body, values, requireFinite: true, "update", cancel).ConfigureAwait(false);
        if (_maxNorm is { } bound && TensorPrimitives.Norm<float>(values.Span) is var norm && norm > bound)
        {
            throw new ProtocolException(422, $"update: L2 norm {norm:G6} exceeds the server's bound {bound:G6}.");
        }
        lock (_gate)
        {
            var assignment = open.TaskFor(client)!;
            if (open.Closed || open.Full)
            {
                throw new ProtocolException(409, $"update: round {header.Round} closed while the upload arrived (late).");
            }
            var result = new ClientResult((int)header.Samples, header.LossSum, (int)header.Batches);
            open.Accept(assignment, client, values.Span, new ClientReport(result, header.UplinkBytes));
            return _committer.Add(new AcceptedUpdate(header.Round, client, header.TaskId, header.Samples, header.LossSum, header.Batches, header.UplinkBytes));
        }
    }

    private void CheckShape(UpdateHeader header, int client)
    {
        if (header.Length != _template.Model.Parameters)
        {
            throw new ProtocolException(422, $"update: {header.Length} values for a model of {_template.Model.Parameters} parameters.");
        }
        long registered = _registry.Find(client)?.TrainSamples ?? -1;
        if (header.Samples != registered)
        {
            throw new ProtocolException(422, $"update: reports {header.Samples} training samples but client {client} registered {registered}.");
        }
        if (header.Batches < 0 || !double.IsFinite(header.LossSum) || header.UplinkBytes < 0)
        {
            throw new ProtocolException(422, "update: the report's loss must be finite and its counts non-negative.");
        }
    }

    private WorkTask Describe(OpenRound open, int client, Assignment assignment)
    {
        var task = new WorkTask
        {
            Kind = WorkTask.Types.Kind.Train,
            TaskId = assignment.TaskId,
            Round = open.Round,
            Seed = _template.Seed,
            Client = client,
            Model = _template.Model,
            DeadlineUnixMs = open.Deadline?.ToUnixTimeMilliseconds() ?? 0,
        };
        task.Settings.Add(_template.Settings);
        return task;
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
