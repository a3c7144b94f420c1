using System.Security.Cryptography;
using Cohort.Federated.Engine;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>One client's task in the open round: its one-time id, its cohort position (−1 for a stand-in), and what became of it.</summary>
internal sealed class Assignment(int position, string taskId)
{
    public int Position { get; } = position;

    public string TaskId { get; } = taskId;

    public bool Uploading { get; set; }

    public bool Accepted { get; set; }
}

/// <summary>
/// One exchange of a round while it takes uploads: a task per sampled client (and per stand-in when
/// over-selecting), a copy of the broadcast (the model and the method's downlink vectors), and the
/// slots of the round loop's results, each taken once.
/// </summary>
internal sealed class OpenRound
{
    private readonly Dictionary<int, Assignment> _tasks = [];
    private readonly bool[] _slotTaken;
    private readonly UpdateSink _accept;

    public OpenRound(CohortRound round, int[] standIns, UpdateSink accept)
    {
        Round = round.Round;
        Exchange = round.Exchange;
        MeasuresDrift = round.MeasuresDrift;
        _accept = accept;
        _slotTaken = new bool[round.Clients.Length];
        // A copy, so a slow download never sees the next round's model half-written.
        Global = round.Global.ToArray();
        Buffers = round.Buffers.ToArray();
        ModelMessage = round.ModelMessage;
        Downlink = round.Downlink.Select(v => (v.Key, (float[])v.Value.Clone())).OrderBy(v => v.Key, StringComparer.Ordinal).ToArray();
        for (int i = 0; i < round.Clients.Length; i++)
        {
            _tasks[round.Clients[i]] = new Assignment(i, NewTaskId());
        }
        foreach (int client in standIns)
        {
            _tasks[client] = new Assignment(-1, NewTaskId());
        }
    }

    public int Round { get; }

    public int Exchange { get; }

    /// <summary>Whether the round's drift diagnostics ask the clients for their local model and update norm.</summary>
    public bool MeasuresDrift { get; }

    public float[] Global { get; }

    public float[] Buffers { get; }

    /// <summary>The compressed difference from the previous round's model view to <see cref="Global"/> (empty: the model goes dense).</summary>
    public ReadOnlyMemory<byte> ModelMessage { get; }

    /// <summary>Bytes of the model last sent to each client in this exchange.</summary>
    public Dictionary<int, long> ModelBytesSent { get; } = [];

    /// <summary>The server vectors sent with this exchange, in name order (the order they travel in).</summary>
    public (string Name, float[] Values)[] Downlink { get; }

    /// <summary>Updates on record.</summary>
    public int Reported { get; set; }

    public bool Closed { get; set; }

    /// <summary>Updates the round takes (the cohort's size).</summary>
    public int CohortSize => _slotTaken.Length;

    /// <summary>Every slot is taken: the round has all the updates it will take.</summary>
    public bool Full => _slotTaken.All(t => t);

    public DateTimeOffset? Deadline { get; set; }

    public ManualResetEventSlim Progress { get; } = new();

    public Assignment? TaskFor(int client) => _tasks.GetValueOrDefault(client);

    /// <summary>The sampled clients whose updates are not in the round (a stand-in's taken one still leaves its place's client missing).</summary>
    public IEnumerable<int> Missing(int[] sampled) => sampled.Where(c => _tasks[c] is { Accepted: false });

    /// <summary>Every task of the exchange, by client (kept after it closes while late uploads may be taken).</summary>
    public IReadOnlyDictionary<int, Assignment> Tasks => _tasks;

    /// <summary>
    /// Bytes of the model sent to the clients whose updates were taken; a client restored from the records
    /// (or served before a restart) counts as the round's message, or the dense model without one.
    /// </summary>
    public long ModelBytesOfTaken()
    {
        long usual = ModelMessage.IsEmpty ? 4L * Global.Length : ModelMessage.Length;
        return _tasks.Where(t => t.Value.Accepted).Sum(t => ModelBytesSent.GetValueOrDefault(t.Key, usual));
    }

    /// <summary>The TRAIN task a client is given for this exchange.</summary>
    public WorkTask Describe(int client, Assignment assignment, TaskTemplate template)
    {
        var task = new WorkTask
        {
            Kind = WorkTask.Types.Kind.Train,
            TaskId = assignment.TaskId,
            Round = Round,
            Exchange = Exchange,
            Seed = template.Seed,
            Client = client,
            Model = template.Model,
            DeadlineUnixMs = Deadline?.ToUnixTimeMilliseconds() ?? 0,
            MeasuresDrift = MeasuresDrift,
        };
        task.Settings.Add(template.Settings);
        return task;
    }

    /// <summary>Hands an update to the round loop in a free slot (the client's own position when it has one) and marks its task done.</summary>
    public void Accept(Assignment assignment, int client, ReadOnlySpan<float> update, ClientReport report)
    {
        _accept(TakeSlot(assignment), client, update, report);
        assignment.Accepted = true;
    }

    /// <summary>Marks an update restored from the server's records as already in the round, and hands its report on (the aggregate already holds its values).</summary>
    public void Restore(int client, ClientReport report)
    {
        if (!_tasks.TryGetValue(client, out var assignment))
        {
            // A stand-in chosen before the restart but not now: its update is in the aggregate all the same.
            assignment = _tasks[client] = new Assignment(-1, NewTaskId());
        }
        _accept(TakeSlot(assignment), client, ReadOnlySpan<float>.Empty, report);
        assignment.Accepted = true;
        Reported++;
    }

    private int TakeSlot(Assignment assignment)
    {
        int slot = assignment.Position >= 0 && !_slotTaken[assignment.Position] ? assignment.Position : Array.IndexOf(_slotTaken, false);
        _slotTaken[slot] = true;
        return slot;
    }

    private static string NewTaskId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
