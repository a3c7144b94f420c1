using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Engine;

/// <summary>Binds a worker's objective to a client's data for a round.</summary>
public delegate ILocalObjective ObjectiveBinder(Worker worker, int client, int round);

/// <summary>What a round produced besides the new server state.</summary>
public sealed record RoundOutcome(double TrainLoss, long BytesUp, long BytesDown, LocalDrift? Drift);

/// <summary>
/// One federated round over an executor, each of the method's exchanges being: broadcast → each
/// client's work → client stages → aggregate (and the weighted means of the method's other values)
/// → server stages in reverse → the method's server step. Per-client scalars are kept by cohort
/// position and summed in that order, so nothing depends on which worker ran which client.
/// </summary>
public sealed class FederatedRound(
    IClientExecutor executor,
    IFederatedAlgorithm algorithm,
    IAggregator aggregator,
    UpdatePipeline pipeline,
    IClientStateStore states,
    ServerState server,
    ObjectiveBinder bind,
    LocalWork work,
    ulong seed,
    Func<int, double> weight,
    double totalWeight)
{
    private readonly Dictionary<string, (WeightedMean Mean, float[] Result)> _means = new(StringComparer.Ordinal);
    private float[] _aggregate = [];

    public RoundOutcome Run(int round, int[] cohort, bool measureDrift)
    {
        int n = cohort.Length, length = server.Global.Length;
        if (_aggregate.Length != length)
        {
            _aggregate = new float[length];
        }
        var layout = algorithm.Uplink;
        var results = new ClientResult[n];
        var uplink = new long[n];
        var scalars = new double[n, layout.Scalars.Count];
        var weights = cohort.Select(weight).ToArray();
        double cohortWeight = weights.Sum();
        long bytesDown = 4L * (length + server.Buffers.Length) * n;
        var drift = measureDrift ? new DriftMeter(n, length, cohortWeight) : null;
        int last = algorithm.Exchanges - 1;
        for (int exchange = 0; exchange <= last; exchange++)
        {
            var received = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (string name in algorithm.Downlink(exchange))
            {
                received[name] = server.Vectors[name];
                bytesDown += 4L * server.Vectors[name].Length * n;
            }
            Begin(aggregator, length, cohortWeight);
            foreach (string name in layout.Vectors)
            {
                Begin(Mean(name), length, cohortWeight);
            }
            int e = exchange;
            executor.ForEach(n, (worker, i) =>
            {
                int client = cohort[i];
                var objective = bind(worker, client, round);
                var buffers = worker.Buffers;
                buffers.Scalars.Clear();
                long steps = work.StepsFor(objective.Samples, seed, round, client);
                var context = new ClientContext(objective, worker.Optimizer, buffers, client, round, e, seed, work, steps, server.Global, received, states);
                results[i] = algorithm.RunClient(context);
                if (e == last)
                {
                    drift?.Add(i, objective.Parameters, server.Global, buffers, weights[i]);
                }
                uplink[i] += pipeline.OnClient(new StageContext(round, client, seed, e), buffers.Update);
                aggregator.Add(buffers.Update, weights[i]);
                foreach (string name in layout.Vectors)
                {
                    _means[name].Mean.Add(buffers.Vector(name), weights[i]);
                    uplink[i] += 4L * length;
                }
                for (int k = 0; k < layout.Scalars.Count; k++)
                {
                    string name = layout.Scalars[k];
                    scalars[i, k] = buffers.Scalars.TryGetValue(name, out double v) ? v : throw new InvalidOperationException($"{algorithm.Name}: client {client} did not send '{name}'.");
                    uplink[i] += 4;
                }
            });
            aggregator.Complete(_aggregate);
            pipeline.OnServer(new StageContext(round, -1, seed, e), _aggregate);
            drift?.Aggregate(_aggregate);
            var vectors = layout.Vectors.ToDictionary(name => name, Complete, StringComparer.Ordinal);
            var means = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int k = 0; k < layout.Scalars.Count; k++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += weights[i] * scalars[i, k];
                }
                means[layout.Scalars[k]] = cohortWeight > 0 ? sum / cohortWeight : 0;
            }
            algorithm.ApplyAggregate(server, new RoundAggregate(e, _aggregate, vectors, means, cohortWeight, totalWeight));
        }
        server.Round = round;

        double lossWeight = 0, loss = 0;
        foreach (var r in results)
        {
            loss += r.MeanLoss * r.Samples;
            lossWeight += r.Samples;
        }
        return new RoundOutcome(lossWeight > 0 ? loss / lossWeight : double.NaN, uplink.Sum(), bytesDown, drift?.Result());
    }

    private WeightedMean Mean(string name)
    {
        if (!_means.TryGetValue(name, out var entry))
        {
            entry = (new WeightedMean(), new float[server.Global.Length]);
            _means[name] = entry;
        }
        return entry.Mean;
    }

    private float[] Complete(string name)
    {
        var (mean, result) = _means[name];
        mean.Complete(result);
        return result;
    }

    private static void Begin(IAggregator target, int length, double expected)
    {
        if (target is WeightedMean mean)
        {
            mean.ExpectedTotalWeight = expected > 0 ? expected : 1;
        }
        target.Begin(length);
    }
}
