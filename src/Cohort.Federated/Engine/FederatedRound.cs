using System.Runtime.InteropServices;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Engine;

/// <summary>What a round produced besides the new server state.</summary>
/// <param name="TrainLoss">The clients' training loss, weighted by their samples; null when none of them trained on a sample.</param>
/// <param name="BytesUp">Bytes the clients sent, over the round's exchanges.</param>
/// <param name="BytesDown">Bytes the server sent, over the round's exchanges.</param>
/// <param name="Drift">The drift of the round's clients (null: not measured).</param>
internal sealed record RoundOutcome(double? TrainLoss, long BytesUp, long BytesDown, LocalDrift? Drift)
{
    /// <summary>Updates the cohort executor took in the round's last exchange.</summary>
    public int Reported { get; init; }

    /// <summary>Updates refused for non-finite values, over all the round's exchanges.</summary>
    public int Rejected { get; init; }

    /// <summary>Updates server stages held back and released into the round (Byzantine ones).</summary>
    public int Byzantine { get; init; }

    /// <summary>Asynchronous rounds: the mean staleness of the last exchange's updates taken (null: synchronous).</summary>
    public double? Staleness { get; init; }
}

/// <summary>
/// One federated round over a cohort executor, each of the method's exchanges being: broadcast → each
/// client's work → client stages → aggregate (and the weighted means of the method's other values)
/// → server stages in reverse → the method's server step. Updates with non-finite values are refused;
/// a server stage may hold updates until the exchange's others are in (an attack, in the last exchange); in the
/// exchange that trains, the clients' buffers (batch-norm statistics) are averaged into the server's.
/// Each update carries the model version it was computed from; with <see cref="Asynchrony"/> one from an
/// earlier version is weighted by its staleness (or refused), without it every update is the round's.
/// </summary>
internal sealed class FederatedRound(
    ICohortExecutor cohortExecutor,
    IFederatedAlgorithm algorithm,
    IAggregator aggregator,
    UpdatePipeline pipeline,
    ServerState server,
    ulong seed,
    Func<int, double> weight,
    double totalWeight)
{
    [ThreadStatic]
    private static float[]? t_received;

    // The server runs the experiment's stages with the finiteness check before them, and its own stages before that.
    private UpdatePipeline? _server;
    private float[][] _aggregates = [];
    private float[] _view = [];
    private readonly WeightedMean _bufferMean = new();

    /// <summary>Stages only the server runs, before every other per-update hook (simulated Byzantine clients).</summary>
    public IReadOnlyList<IUpdateStage> ServerStages { get; init; } = [];

    /// <summary>The compressed broadcast of the model (null: the model goes out dense); clients train from its view.</summary>
    public DownlinkCompression? DownlinkCompression { get; init; }

    private static Span<float> Copy(ReadOnlySpan<float> update)
    {
        var copy = t_received is { } held && held.Length == update.Length ? held : t_received = new float[update.Length];
        update.CopyTo(copy);
        return copy;
    }

    /// <summary>Draws the cohort of a round's later exchange (round, exchange); null: the round's cohort serves every exchange.</summary>
    public Func<int, int, int[]>? ExchangeCohort { get; init; }

    /// <summary>How updates computed from an earlier model version are taken (null: synchronous, every update is from the round's version).</summary>
    public Asynchrony? Asynchrony { get; init; }

    public RoundOutcome Run(int round, int[] cohort, bool measureDrift, CancellationToken cancel = default)
    {
        int n = cohort.Length, length = server.Global.Length;
        int last = algorithm.Exchanges - 1, rejected = 0, reported = 0, byzantine = 0;
        double? staleness = null;
        if (_aggregates.Length != last + 1 || _aggregates[0].Length != algorithm.UpdateLength(0, length))
        {
            _aggregates = [.. Enumerable.Range(0, last + 1).Select(e => new float[algorithm.UpdateLength(e, length)])];
        }
        var results = new ClientResult[n];
        var uplink = new long[n];
        var cohorts = new int[last + 1][];
        for (int e = 0; e <= last; e++)
        {
            cohorts[e] = e == 0 || ExchangeCohort is null ? cohort : ExchangeCohort(round, e);
        }
        var weights = cohorts[last].Select(weight).ToArray();
        double cohortWeight = weights.Sum();
        ReadOnlyMemory<float> global = server.Global;
        ReadOnlyMemory<byte> modelMessage = default;
        long modelBytes = 4L * length;
        if (DownlinkCompression is { } compressed)
        {
            // The stored view moves only once the round is complete, so a checkpoint taken inside the round holds the last round's.
            _view = _view.Length == length ? _view : new float[length];
            modelBytes = compressed.Broadcast(server.Global, DownlinkCompression.ViewOf(server), _view, seed, round);
            global = _view;
            modelMessage = compressed.Message;
        }
        long bytesDown = 4L * server.Buffers.Length * n;
        // Drift compares the last exchange's updates with the model, so they must be model-sized.
        var drift = measureDrift && _aggregates[last].Length == length ? new DriftMeter(n, length, cohortWeight) : null;
        var extras = new UplinkMeans(algorithm, length);
        _server ??= new UpdatePipeline([.. pipeline.Stages, FiniteUpdates.Instance, .. ServerStages]);
        _server.BeginRound(round);
        for (int exchange = 0; exchange <= last; exchange++)
        {
            var received = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (string name in algorithm.Downlink(exchange))
            {
                received[name] = server.Vector(name);
                bytesDown += 4L * received[name].Length * n;
            }
            bool final = exchange == last;
            var members = cohorts[exchange];
            var memberWeights = final ? weights : members.Select(weight).ToArray();
            double membersWeight = final ? cohortWeight : memberWeights.Sum();
            double expected = membersWeight > 0 ? membersWeight : 1;
            var stale = Asynchrony?.Begin(n);
            var aggregate = _aggregates[exchange];
            aggregator.Begin(aggregate.Length, expected);
            extras.Begin(n, expected);
            var buffers = exchange == algorithm.TrainingExchange && server.Buffers.Length > 0 ? _bufferMean : null;
            buffers?.Begin(server.Buffers.Length, expected);
            int bufferReports = 0;
            var serverContext = new StageContext(round, -1, seed, exchange)
            {
                Participation = RoundAggregate.Share(membersWeight, totalWeight),
                Cohort = members,
                Weights = memberWeights,
                Server = server,
                Exchanges = last + 1,
            };
            bool Accept(StageContext context, ReadOnlySpan<float> update, bool valuesFinite)
            {
                // Stages that change an update work on the server's own copy of what was received (the others
                // only read it, so it needs none); an update they refuse (its values not finite, or the
                // method's other values not finite) is not aggregated.
                var received = _server.ChangesReceived ? Copy(update) : MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(update), update.Length);
                if (!valuesFinite || !_server.OnReceived(context, received))
                {
                    Interlocked.Increment(ref rejected);
                    return false;
                }
                aggregator.Add(received, context.Weight);
                return true;
            }
            var work = new CohortRound(round, members, global, server.Buffers)
            {
                Exchange = exchange,
                ModelMessage = exchange == 0 ? modelMessage : default,
                Downlink = received,
                MeasuresDrift = final && drift is not null,
            };
            int taken = cohortExecutor.Run(work, (slot, client, update, report) =>
            {
                double w = weight(client);
                var arrival = serverContext with { Client = client, Weight = w, Version = report.Version ?? round };
                results[slot] = report.Result;
                uplink[slot] += report.UplinkBytes + extras.Bytes;
                if (drift is not null && report.Drift is { } reported)
                {
                    // Every client the cohort ran counts in the drift, whether its update is then taken, held or refused.
                    drift.Add(slot, reported, server.Global, weights[slot]);
                }
                else if (drift is not null && work.MeasuresDrift)
                {
                    drift.LeaveOut();
                }
                if (update.IsEmpty)
                {
                    // An update restored from a deployed server's records: its values are already in the aggregate.
                    return;
                }
                if (_server.Holds(arrival, update))
                {
                    // A stage hands the update on at the exchange's end (an attack replaces it); the method's other values are the client's own.
                    if (extras.Finite(client, report.Uplink))
                    {
                        extras.Add(slot, client, report.Uplink, w);
                    }
                    return;
                }
                if (stale is not null && !stale.Take(slot, arrival.Staleness, ref w))
                {
                    Interlocked.Increment(ref rejected);
                    return;
                }
                if (Accept(arrival with { Weight = w }, update, extras.Finite(client, report.Uplink)))
                {
                    extras.Add(slot, client, report.Uplink, w);
                }
                if (buffers is not null && !report.Buffers.IsEmpty)
                {
                    buffers.Add(report.Buffers.Span, w);
                    Interlocked.Increment(ref bufferReports);
                }
            }, cancel);
            if (exchange == 0)
            {
                // A deployed cohort counts the model as it went out: a difference or, to a client without the last view, dense.
                bytesDown += cohortExecutor is IModelBytesMeter meter ? meter.ModelBytesSent : modelBytes * n;
            }
            if (buffers is not null && bufferReports > 0)
            {
                buffers.Complete(server.Buffers);
            }
            if (final)
            {
                reported = taken;
            }
            byzantine += _server.OnExchangeEnd(serverContext, (client, update, w) => Accept(serverContext with { Client = client, Weight = w }, update, true));
            aggregator.Complete(aggregate);
            stale?.Scale(aggregate);
            staleness = stale?.MeanStaleness();
            _server.OnServer(serverContext, aggregate);
            drift?.Aggregate(aggregate);
            var vectors = extras.CompleteVectors();
            var means = extras.CompleteScalars(extras.Weight);
            algorithm.ApplyAggregate(server, new RoundAggregate(exchange, aggregate, vectors, means, membersWeight, totalWeight));
        }
        if (DownlinkCompression is not null)
        {
            _view.CopyTo(DownlinkCompression.ViewOf(server), 0);
        }
        server.Round = round;

        double lossWeight = 0, loss = 0;
        foreach (var r in results)
        {
            loss += r.MeanLoss * r.Samples;
            lossWeight += r.Samples;
        }
        // A cohort with no training sample has no training loss (not 0/0).
        return new RoundOutcome(lossWeight > 0 ? loss / lossWeight : null, uplink.Sum(), bytesDown, drift?.Result())
        {
            Reported = reported,
            Rejected = rejected,
            Byzantine = byzantine,
            Staleness = staleness,
        };
    }
}
