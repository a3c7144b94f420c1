using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Attacks;
using Cohort.Federated.Compression;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Engine;

/// <summary>What a round produced besides the new server state.</summary>
internal sealed record RoundOutcome(double TrainLoss, long BytesUp, long BytesDown, LocalDrift? Drift)
{
    /// <summary>Updates the cohort executor took in the round's last exchange.</summary>
    public int Reported { get; init; }

    /// <summary>Updates refused for non-finite values, over all the round's exchanges.</summary>
    public int Rejected { get; init; }

    /// <summary>Byzantine updates released into the round.</summary>
    public int Byzantine { get; init; }
}

/// <summary>
/// One federated round over a cohort executor, each of the method's exchanges being: broadcast → each
/// client's work → client stages → aggregate (and the weighted means of the method's other values)
/// → server stages in reverse → the method's server step. Updates with non-finite values are refused;
/// in the last exchange Byzantine clients' updates are held until the honest ones are in; in the
/// exchange that trains, the clients' buffers (batch-norm statistics) are averaged into the server's.
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

    // The server runs the experiment's stages with the finiteness check before them.
    private readonly UpdatePipeline _server = new([.. pipeline.Stages, FiniteUpdates.Instance]);
    private float[][] _aggregates = [];
    private float[] _view = [];
    private readonly WeightedMean _bufferMean = new();

    /// <summary>Simulated Byzantine clients (null: none).</summary>
    public ByzantineClients? Byzantine { get; init; }

    /// <summary>The compressed broadcast of the model (null: the model goes out dense); clients train from its view.</summary>
    public DownlinkCompression? DownlinkCompression { get; init; }

    public RoundOutcome Run(int round, int[] cohort, bool measureDrift, CancellationToken cancel = default)
    {
        int n = cohort.Length, length = server.Global.Length;
        int last = algorithm.Exchanges - 1, rejected = 0, reported = 0, byzantine = 0;
        if (_aggregates.Length != last + 1 || _aggregates[0].Length != algorithm.UpdateLength(0, length))
        {
            _aggregates = [.. Enumerable.Range(0, last + 1).Select(e => new float[algorithm.UpdateLength(e, length)])];
        }
        var results = new ClientResult[n];
        var uplink = new long[n];
        var weights = cohort.Select(weight).ToArray();
        double cohortWeight = weights.Sum();
        double expected = cohortWeight > 0 ? cohortWeight : 1;
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
        Byzantine?.BeginRound();
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
            var aggregate = _aggregates[exchange];
            aggregator.Begin(aggregate.Length, expected);
            extras.Begin(n, expected);
            var buffers = exchange == algorithm.TrainingExchange && server.Buffers.Length > 0 ? _bufferMean : null;
            buffers?.Begin(server.Buffers.Length, expected);
            int bufferReports = 0;
            var serverContext = new StageContext(round, -1, seed, exchange)
            {
                Participation = RoundAggregate.Share(cohortWeight, totalWeight),
                Cohort = cohort,
                Weights = weights,
                Server = server,
            };
            bool Accept(int client, ReadOnlySpan<float> update, bool valuesFinite, double w)
            {
                // The stages' per-update hooks work on the server's own copy of what was received; an
                // update they refuse (its values not finite, or the method's other values not finite) is not aggregated.
                var received = t_received is { } held && held.Length == update.Length ? held : t_received = new float[update.Length];
                update.CopyTo(received);
                if (!valuesFinite || !_server.OnReceived(serverContext with { Client = client, Weight = w }, received))
                {
                    Interlocked.Increment(ref rejected);
                    return false;
                }
                aggregator.Add(received, w);
                return true;
            }
            var work = new CohortRound(round, cohort, global, server.Buffers)
            {
                Exchange = exchange,
                ModelMessage = exchange == 0 ? modelMessage : default,
                Downlink = received,
                Inspect = final && drift is not null ? (slot, objective, values) => drift.Add(slot, objective.Parameters, server.Global, values, weights[slot]) : null,
            };
            int taken = cohortExecutor.Run(work, (slot, client, update, report) =>
            {
                double w = weight(client);
                results[slot] = report.Result;
                uplink[slot] += report.UplinkBytes + extras.Bytes;
                if (update.IsEmpty)
                {
                    // An update restored from a deployed server's records: its values are already in the aggregate.
                    return;
                }
                if (final && Byzantine?.Contains(client) == true)
                {
                    // The attack replaces the update; the method's other values are the client's own.
                    Byzantine.Hold(client, update, w);
                    if (extras.Finite(client, report.Uplink))
                    {
                        extras.Add(slot, client, report.Uplink, w);
                    }
                    return;
                }
                if (final)
                {
                    Byzantine?.Observe(update);
                }
                if (Accept(client, update, extras.Finite(client, report.Uplink), w))
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
                byzantine = Byzantine?.Release(round, n, (client, update, w) => Accept(client, update, true, w)) ?? 0;
            }
            aggregator.Complete(aggregate);
            _server.OnServer(serverContext, aggregate);
            drift?.Aggregate(aggregate);
            var vectors = extras.CompleteVectors();
            var means = extras.CompleteScalars(extras.Weight);
            algorithm.ApplyAggregate(server, new RoundAggregate(exchange, aggregate, vectors, means, cohortWeight, totalWeight));
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
        return new RoundOutcome(lossWeight > 0 ? loss / lossWeight : double.NaN, uplink.Sum(), bytesDown, drift?.Result())
        {
            Reported = reported,
            Rejected = rejected,
            Byzantine = byzantine,
        };
    }
}
