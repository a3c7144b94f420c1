using Cohort.Federated.Engine;
using Cohort.Federated.State;
using Cohort.Transport.Durability;

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

    public void Dispose()
    {
        StopHandingOutTasks();
        _committer.Dispose();
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
