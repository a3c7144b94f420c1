using Cohort.Tensors.Random;

namespace Cohort.Federated.Engine;

/// <summary>
/// Simulated asynchronous clients (<see cref="Asynchrony"/>, FedBuff) over an in-process cohort executor.
/// <see cref="Asynchrony.Concurrency"/> clients train at once, each from the model version current when it
/// is dispatched, and finish after its simulated time (its local steps times exp(σ·z), z from the (seed,
/// duration, version, client) stream). Arrivals are taken in (finish time, client) order, so the run does not
/// depend on the thread count; a round ends when <see cref="Asynchrony.BufferSize"/> are in. A client that
/// finishes is replaced once every arrival at that time is in, from the model current then: the round's
/// model, or the next round's if those arrivals filled the buffer. A client runs at most once per model
/// version; each dispatch draws from the (seed, cohort, version, draw) stream, the first draw of a version
/// from (seed, cohort, version), so with no delays and concurrency = buffer = cohort size the clients are
/// FedAvg's cohorts and the run is FedAvg's. Updates more than <see cref="Asynchrony.MaxStaleness"/> steps
/// stale are dropped on arrival and do not count toward the buffer. The clients in flight (trained, not yet
/// arrived) are saved with a checkpoint (BufferedCohort.Checkpoint.cs), so a resumed run is the uninterrupted one.
/// </summary>
internal sealed partial class BufferedCohort(ICohortExecutor inner, Asynchrony asynchrony, int clients, ulong seed, Func<int, int, long> steps)
    : ICohortExecutor, ICohortSource
{
    private static readonly long DurationPurpose = RandomStream.Purpose("duration");

    private readonly PriorityQueue<Arrival, (double Time, int Client)> _queue = new();
    private readonly bool[] _inFlight = new bool[clients];
    private readonly int[] _lastVersion = Enumerable.Repeat(-1, clients).ToArray();
    private readonly List<Arrival> _toTrain = [];
    private List<Arrival> _buffer = [];
    private int _pending = -1;
    private double _pendingTime;
    private int _drawVersion = -1, _draws;

    /// <summary>Updates dropped on arrival for being too stale, over the run.</summary>
    public int Dropped { get; private set; }

    public int Samples(int client) => inner.Samples(client);

    public bool HoldsClientData => inner.HoldsClientData;

    public int[] CohortOf(int round)
    {
        if (_pending < 0)
        {
            (_pending, _pendingTime) = (asynchrony.Concurrency, 0);
        }
        _buffer = [];
        while (_buffer.Count < asynchrony.BufferSize)
        {
            if (_pending > 0 && (_queue.Count == 0 || _queue.Peek().Time > _pendingTime))
            {
                Dispatch(round);
            }
            if (!_queue.TryDequeue(out var arrival, out _))
            {
                break;
            }
            _inFlight[arrival.Client] = false;
            (_pending, _pendingTime) = (_pending + 1, arrival.Time);
            if (asynchrony.Takes(Asynchrony.Staleness(round, arrival.Version)))
            {
                _buffer.Add(arrival);
            }
            else
            {
                Dropped++;
            }
        }
        return [.. _buffer.Select(a => a.Client)];
    }

    /// <summary>Dispatches the owed clients from the current version's model, at most once per client and version.</summary>
    private void Dispatch(int version)
    {
        if (_drawVersion != version)
        {
            (_drawVersion, _draws) = (version, 0);
        }
        var idle = Enumerable.Range(0, clients).Where(c => !_inFlight[c] && _lastVersion[c] != version).ToArray();
        int count = Math.Min(_pending, idle.Length);
        if (count == 0)
        {
            return;
        }
        foreach (int pick in ClientSampler.Sample(idle.Length, count, seed, version, "cohort", _draws++))
        {
            int client = idle[pick];
            _inFlight[client] = true;
            _lastVersion[client] = version;
            var arrival = new Arrival(client, version, _pendingTime + Duration(client, version));
            _toTrain.Add(arrival);
            _queue.Enqueue(arrival, (arrival.Time, client));
        }
        _pending -= count;
    }

    private double Duration(int client, int version)
    {
        double time = steps(client, version);
        return asynchrony.DurationSigma == 0 ? time
            : time * Math.Exp(asynchrony.DurationSigma * RandomStream.Create(seed, DurationPurpose, version, client).NextNormal());
    }

    /// <summary>Trains the clients dispatched from this round's model, then hands over the buffer's updates in arrival order.</summary>
    public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
    {
        if (_toTrain.Count > 0)
        {
            var started = _toTrain.ToArray();
            _toTrain.Clear();
            inner.Run(round with { Clients = [.. started.Select(a => a.Client)], MeasuresDrift = false }, (slot, client, update, report) =>
            {
                var arrival = started[slot];
                arrival.Update = update.ToArray();
                // The worker's buffers are reused by its next client: what the report points to is copied.
                arrival.Report = report with { Buffers = report.Buffers.ToArray(), Uplink = null, Version = arrival.Version };
            }, cancel);
        }
        for (int slot = 0; slot < _buffer.Count && !cancel.IsCancellationRequested; slot++)
        {
            var arrival = _buffer[slot];
            accept(slot, arrival.Client, arrival.Update, arrival.Report);
        }
        return _buffer.Count;
    }

    /// <summary>A dispatched client: who, from which model version, when its update arrives, and (once trained) the update.</summary>
    private sealed class Arrival(int client, int version, double time)
    {
        public int Client { get; } = client;

        public int Version { get; } = version;

        public double Time { get; } = time;

        public float[] Update { get; set; } = [];

        public ClientReport Report { get; set; }
    }
}
