using System.Diagnostics;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Modules;
using Cohort.NN.Optimizers;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Engine;

/// <summary>
/// Runs an experiment on one machine: federated rounds (sample → broadcast → local updates → client
/// stages → aggregate → server stages in reverse → server step → evaluate → callbacks), or the
/// centralized and local baselines, over an executor of in-process workers.
/// </summary>
public sealed class Simulation : IDisposable
{
    private readonly Experiment _experiment;
    private readonly FederatedData _data;
    private readonly InProcessExecutor _executor;
    private readonly IReadOnlyList<IRunCallback> _callbacks;
    private readonly List<RoundMetrics> _history = [];
    private readonly Func<Model> _createModel;
    private readonly DownlinkCompression? _downlink;
    private readonly PowerSgdRound? _powerSgd;

    public Simulation(Experiment experiment, FederatedData data, IReadOnlyList<IRunCallback>? callbacks = null,
        IFederatedAlgorithm? algorithm = null, IAggregator? aggregator = null, UpdatePipeline? pipeline = null, IClientStateStore? states = null,
        Func<Model>? createModel = null)
    {
        _experiment = experiment;
        _data = data;
        _callbacks = callbacks ?? [];
        Options = data.ModelOptions;
        var work = experiment.Client;
        var options = Options;
        // Every replica starts from the same seed, so all hold the same initial model.
        createModel ??= () => ModelZoo.Create(experiment.Model, experiment.Seed, options);
        _createModel = createModel;
        _executor = new InProcessExecutor(experiment.Threads, i => new Worker(i, createModel(), work.BatchSize, ClientOptimizer(work)));
        Algorithm = algorithm ?? AlgorithmFactory.Create(experiment.Config);
        var initial = createModel();
        States = states ?? new SpillingStateStore(1L << 30);
        var segments = CompressionSetup.SegmentsOf(initial);
        Aggregator = aggregator ?? (experiment.Config.Get("aggregator.name") == "majority-vote" ? new MajorityVote() : new WeightedMean());
        Pipeline = pipeline ?? CompressionSetup.Uplink(experiment.Config, segments, States);
        _downlink = CompressionSetup.Downlink(experiment.Config, segments, initial.Parameters);
        _powerSgd = CompressionSetup.PowerSgd(experiment.Config, initial, States);
        Server = new ServerState(initial.Parameters, initial.Buffers, new Sgd(1f));
        Algorithm.InitializeServer(Server);
        Evaluator = new Evaluator(_executor, data.Test);
    }

    public ModelOptions Options { get; }

    public IFederatedAlgorithm Algorithm { get; }

    public IAggregator Aggregator { get; }

    public UpdatePipeline Pipeline { get; }

    public IClientStateStore States { get; }

    public ServerState Server { get; }

    public Evaluator Evaluator { get; }

    public IReadOnlyList<RoundMetrics> History => _history;

    /// <summary>A model holding the server's current parameters and buffers (to save or evaluate).</summary>
    public Model ExportModel()
    {
        var model = _createModel();
        Server.Global.CopyTo(model.Parameters, 0);
        Server.Buffers.CopyTo(model.Buffers, 0);
        return model;
    }

    /// <summary>The optimizer a client trains with, built from the experiment's client.* keys.</summary>
    public static IOptimizer ClientOptimizer(LocalWork work)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var parameters = new Dictionary<string, string>
        {
            ["lr"] = work.LearningRate.ToString("R", ci),
            ["weight_decay"] = work.WeightDecay.ToString("R", ci),
        };
        if (work.Optimizer == "sgd")
        {
            parameters["momentum"] = work.Momentum.ToString("R", ci);
        }
        else if (work.Momentum != 0)
        {
            throw new ConfigException($"client.momentum applies to client.optimizer sgd, not {work.Optimizer}.");
        }
        return OptimizerFactory.Create(work.Optimizer, parameters);
    }

    public RunSummary Run(CancellationToken cancel = default)
    {
        var info = new RunInfo(_experiment.Mode, _experiment.Model, _experiment.Rounds, _data.Clients, _experiment.CohortSize, Server.Global.Length, _executor.Workers);
        foreach (var c in _callbacks)
        {
            c.OnStart(info);
        }
        var total = Stopwatch.StartNew();
        var (rounds, trainingSeconds) = _experiment.Mode switch
        {
            "centralized" => new CentralizedBaseline(this, _experiment, _data, _executor).Run(cancel),
            "local" => new LocalBaseline(this, _experiment, _data, _executor).Run(cancel),
            _ => RunFederated(cancel),
        };
        var summary = RunSummary.From(_history, _experiment.TargetAccuracy, total.Elapsed.TotalSeconds, trainingSeconds, rounds);
        foreach (var c in _callbacks)
        {
            c.OnEnd(summary);
        }
        return summary;
    }

    private (int Rounds, double Seconds) RunFederated(CancellationToken cancel)
    {
        var aggregate = new float[Server.Global.Length];
        // Running statistics (batch norm) are averaged like the parameters, weighted the same way.
        var bufferMean = Server.Buffers.Length > 0 ? new WeightedMean() : null;
        int cohortSize = _experiment.CohortSize;
        var results = new ClientResult[cohortSize];
        var uplink = new long[cohortSize];
        double trainingSeconds = 0;
        long totalUp = 0, totalDown = 0;
        int round = 0;
        while (round < _experiment.Rounds && !cancel.IsCancellationRequested)
        {
            round++;
            var clock = Stopwatch.StartNew();
            int[] cohort = ClientSampler.Sample(_data.Clients, cohortSize, _experiment.Seed, round);
            double expected = cohort.Sum(Weight);
            if (Aggregator is WeightedMean mean)
            {
                mean.ExpectedTotalWeight = expected > 0 ? expected : 1;
            }
            Aggregator.Begin(aggregate.Length);
            _powerSgd?.Begin(expected > 0 ? expected : 1);
            if (bufferMean is not null)
            {
                bufferMean.ExpectedTotalWeight = expected > 0 ? expected : 1;
                bufferMean.Begin(Server.Buffers.Length);
            }
            // With downlink compression clients train from their decoded copy of the model.
            long broadcastBytes = _downlink is null ? 4L * Server.Global.Length : _downlink.Broadcast(Server.Global, _experiment.Seed, round);
            var global = _downlink?.View ?? Server.Global;
            _executor.ForEach(cohort.Length, (worker, i) =>
            {
                int client = cohort[i];
                var context = new ClientContext(worker, _data, client, _data.Partition.Train[client], round, _experiment.Seed, _experiment.Client, global, Server.Buffers, States);
                results[i] = Algorithm.RunClient(context);
                if (_powerSgd is not null)
                {
                    uplink[i] = _powerSgd.SendP(client, worker.Update, Weight(client));
                }
                else
                {
                    uplink[i] = results[i].MessageBytes ?? Pipeline.OnClient(new StageContext(round, client, _experiment.Seed), worker.Update);
                    Aggregator.Add(worker.Update, Weight(client));
                }
                bufferMean?.Add(worker.Model.Buffers, Weight(client));
            });
            bufferMean?.Complete(Server.Buffers);
            var (secondUp, secondDown) = _powerSgd?.Complete(_executor, cohort, Weight, aggregate) ?? (0, 0);
            if (_powerSgd is null)
            {
                Aggregator.Complete(aggregate);
            }
            Pipeline.OnServer(new StageContext(round, -1, _experiment.Seed), aggregate);
            Algorithm.ApplyAggregate(Server, aggregate);
            Server.Round = round;
            double seconds = clock.Elapsed.TotalSeconds;
            trainingSeconds += seconds;

            double lossWeight = 0, loss = 0;
            for (int i = 0; i < cohort.Length; i++)
            {
                loss += results[i].MeanLoss * results[i].Samples;
                lossWeight += results[i].Samples;
            }
            long bytesDown = (broadcastBytes + 4L * Server.Buffers.Length) * cohort.Length + secondDown;
            long bytesUp = secondUp;
            foreach (long bytes in uplink.AsSpan(0, cohort.Length))
            {
                bytesUp += bytes;
            }
            totalUp += bytesUp;
            totalDown += bytesDown;
            if (ShouldEvaluate(round))
            {
                var metrics = Evaluate(round, seconds, lossWeight > 0 ? loss / lossWeight : double.NaN, bytesUp, bytesDown, cohort.Length);
                // Totals cover the rounds between evaluations too (eval.every > 1).
                metrics.Extra["bytes_up_total"] = totalUp;
                metrics.Extra["bytes_down_total"] = totalDown;
                CompressionRatio.Record(metrics, Server.Global.Length, Server.Buffers.Length, cohort.Length);
                if (Record(metrics))
                {
                    break;
                }
            }
        }
        return (round, trainingSeconds);
    }

    /// <summary>The aggregation weight of a client: its sample count, or 1 with uniform weighting.</summary>
    public double Weight(int client) => _experiment.UniformWeighting ? 1 : _data.ClientTrainCount(client);

    internal bool ShouldEvaluate(int round) => round % _experiment.EvalEvery == 0 || round == _experiment.Rounds;

    /// <summary>Scores the server's model and builds the round's metrics.</summary>
    internal RoundMetrics Evaluate(int round, double seconds, double trainLoss, long bytesUp, long bytesDown, int clients)
    {
        var clock = Stopwatch.StartNew();
        Evaluator.Score(Server.Global, Server.Buffers);
        var (accuracy, loss) = Evaluator.Overall();
        var perClient = _experiment.EvalClients
            ? Enumerable.Range(0, _data.Clients).Select(k => Evaluator.Over(_data.Partition.Test[k]).Accuracy).ToList()
            : [];
        return new RoundMetrics
        {
            Round = round,
            TestAccuracy = accuracy,
            TestLoss = loss,
            TrainLoss = trainLoss,
            Seconds = seconds,
            EvalSeconds = clock.Elapsed.TotalSeconds,
            BytesUp = bytesUp,
            BytesDown = bytesDown,
            Clients = clients,
            ClientAccuracy = ClientStatistics.Of(perClient),
        };
    }

    /// <summary>Stores and announces a round's metrics; true when the target accuracy is reached.</summary>
    internal bool Record(RoundMetrics metrics)
    {
        _history.Add(metrics);
        foreach (var c in _callbacks)
        {
            c.OnRound(metrics);
        }
        return _experiment.TargetAccuracy is { } target && metrics.TestAccuracy >= target;
    }

    public void Dispose()
    {
        _executor.Dispose();
        (States as IDisposable)?.Dispose();
    }
}
