using System.Diagnostics;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Attacks;
using Cohort.Federated.Config;
using Cohort.Federated.Diagnostics;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;
using Cohort.Federated.Personal;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Modules;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Engine;

/// <summary>
/// Runs an experiment's rounds over the components <see cref="RunComponents"/> built, simulated (in-process
/// workers) or deployed (remote clients): federated rounds (sample → broadcast → local updates → client
/// stages → aggregate → server stages in reverse → server step → evaluate → callbacks), or the
/// centralized and local baselines.
/// </summary>
public sealed class FederatedRun : IDisposable
{
    private readonly Experiment _experiment;
    private readonly FederatedData _data;
    private readonly RunComponents _components;
    private readonly WorkerPool _executor;
    private readonly IReadOnlyList<IRunCallback> _callbacks;
    private readonly List<RoundMetrics> _history = [];
    private ServerBatchLoss? _serverBatch;

    /// <summary>A run of components built from the config, with any of them given instead (see <see cref="RunComponents"/>).</summary>
    public FederatedRun(Experiment experiment, FederatedData data, IReadOnlyList<IRunCallback>? callbacks = null,
        IFederatedAlgorithm? algorithm = null, IAggregator? aggregator = null, UpdatePipeline? pipeline = null, IClientStateStore? states = null,
        Func<Model>? createModel = null, ICohortExecutor? cohortExecutor = null)
        : this(new RunComponents(experiment, data, algorithm, aggregator, pipeline, states, createModel, cohortExecutor), callbacks)
    {
    }

    internal FederatedRun(RunComponents components, IReadOnlyList<IRunCallback>? callbacks = null)
    {
        _components = components;
        _experiment = components.Experiment;
        _data = components.Data;
        _executor = components.Workers;
        _callbacks = callbacks ?? [];
        int held = NewClients.Count(_experiment.Config, _data.Clients);
        if (held > 0 && !CohortExecutor.HoldsClientData)
        {
            throw new ConfigException($"{NewClients.Key}: held-out clients are simulated only; a deployed run trains every client that joins.");
        }
        _training = _data.Clients - held;
    }

    /// <summary>Clients that train: all but the held-out ones (the last ids, <see cref="NewClients"/>).</summary>
    private readonly int _training;

    public ModelOptions Options => _components.Options;

    public IFederatedAlgorithm Algorithm => _components.Algorithm;

    public IAggregator Aggregator => _components.Aggregator;

    internal UpdatePipeline Pipeline => _components.Pipeline;

    internal IClientStateStore States => _components.States;

    public ServerState Server => _components.Server;

    /// <summary>The model part each client keeps for itself (null: the method keeps none).</summary>
    internal PersonalParameters? Personal => _components.Personal;

    /// <summary>How each client's personal model is formed for scoring (null: there is none).</summary>
    internal PersonalModel? PersonalModel => _components.PersonalModel;

    /// <summary>The simulated Byzantine clients and their attack (null without one).</summary>
    internal ByzantineClients? Byzantine => _components.Byzantine;

    internal Evaluator Evaluator => _components.Evaluator;

    /// <summary>Where the clients' halves of each round run: in-process workers, or remote clients.</summary>
    internal ICohortExecutor CohortExecutor => _components.CohortExecutor;

    public IReadOnlyList<RoundMetrics> History => _history;

    /// <summary>Bytes and training time summed over the federated rounds run so far (restored with a checkpoint).</summary>
    internal RunTotals Totals { get; } = new();

    /// <summary>Called after each completed federated round, its metrics recorded (checkpoints hook in here).</summary>
    public Action<int>? AfterRound { get; set; }

    /// <summary>The metrics of rounds run before a resume, so the summary covers the whole run.</summary>
    public void RestoreHistory(IEnumerable<RoundMetrics> earlier) => _history.InsertRange(0, earlier);

    /// <summary>A model holding the server's current parameters and buffers (to save or evaluate).</summary>
    public Model ExportModel()
    {
        var model = _components.CreateModel();
        Server.Global.CopyTo(model.Parameters, 0);
        Server.Buffers.CopyTo(model.Buffers, 0);
        return model;
    }

    /// <summary>The server model's mean accuracy over the honest clients' test splits (all clients without an attack).</summary>
    public double HonestClientAccuracy()
    {
        Evaluator.Score(Server.Global, Server.Buffers);
        var honest = Enumerable.Range(0, _data.Clients).Where(k => Byzantine?.Contains(k) != true && _data.Partition.Test[k].Length > 0).ToList();
        return honest.Count == 0 ? double.NaN : honest.Average(k => Evaluator.Over(_data.Partition.Test[k]).Accuracy);
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
        double totalWeight = Enumerable.Range(0, _training).Sum(Weight);
        var asynchrony = Algorithm.Asynchrony;
        var executor = Executor(asynchrony);
        var rounds = new FederatedRound(executor, Algorithm, Aggregator, Pipeline, Server, _experiment.Seed, Weight, totalWeight)
        {
            ServerStages = Byzantine is { } attack ? [attack] : [],
            DownlinkCompression = _components.Downlink,
            Asynchrony = asynchrony,
            ExchangeCohort = _experiment.CohortPerExchange ? (r, exchange) => ClientSampler.Sample(_training, _experiment.CohortSize, _experiment.Seed, r, draw: exchange) : null,
        };
        var totals = Totals;
        // A restored server (a deployed run resumed) goes on after its last completed round.
        int round = Server.Round;
        while (round < _experiment.Rounds && !cancel.IsCancellationRequested)
        {
            round++;
            var clock = Stopwatch.StartNew();
            int[] cohort = executor is ICohortSource source ? source.CohortOf(round) : ClientSampler.Sample(_training, _experiment.CohortSize, _experiment.Seed, round);
            Aggregator.BeginRound(new AggregationRound(round, _experiment.Seed, Server.Global, Server, size => ServerBatch(size, round)));
            _components.Clipping.Reset();
            bool evaluate = ShouldEvaluate(round);
            // Drift compares a cohort's updates with the model they started from, which asynchronous clients do not share.
            var outcome = rounds.Run(round, cohort, evaluate && Diagnosing && asynchrony is null, cancel);
            double seconds = clock.Elapsed.TotalSeconds;
            totals.TrainingSeconds += seconds;
            totals.BytesUp += outcome.BytesUp;
            totals.BytesDown += outcome.BytesDown;
            if (evaluate)
            {
                var metrics = Evaluate(round, seconds, outcome.TrainLoss, outcome.BytesUp, outcome.BytesDown, outcome.Reported);
                // Totals cover the rounds between evaluations too (eval.every > 1).
                metrics.Extra["bytes_up_total"] = totals.BytesUp;
                metrics.Extra["bytes_down_total"] = totals.BytesDown;
                CompressionRatio.Record(metrics, Server.Global.Length, Server.Buffers.Length, cohort.Length);
                metrics.Extra["rejected_updates"] = outcome.Rejected;
                if (outcome.Staleness is { } staleness)
                {
                    metrics.Extra["staleness"] = staleness;
                }
                _components.Clipping.Record(metrics);
                Pipeline.Report(metrics);
                if (Byzantine is not null)
                {
                    metrics.Extra["byzantine"] = outcome.Byzantine;
                }
                if (outcome.Drift is { } drift)
                {
                    metrics.Extra["drift"] = drift.Drift;
                    metrics.Extra["update_norm"] = drift.UpdateNorm;
                    metrics.Extra["aggregate_norm"] = drift.AggregateNorm;
                }
                if (Record(metrics))
                {
                    AfterRound?.Invoke(round);
                    break;
                }
            }
            AfterRound?.Invoke(round);
        }
        return (round, totals.TrainingSeconds);
    }

    /// <summary>
    /// Where the rounds' client halves run: the cohort executor, or, for an asynchronous method, simulated
    /// asynchronous clients over the in-process one (deployed clients are asynchronous themselves: the
    /// remote executor takes their stale updates).
    /// </summary>
    private ICohortExecutor Executor(Asynchrony? asynchrony) => asynchrony is not null && CohortExecutor.HoldsClientData
        ? new BufferedCohort(CohortExecutor, asynchrony, _training, _experiment.Seed,
            (client, version) => _experiment.Client.StepsFor(CohortExecutor.Samples(client), _experiment.Seed, version, client))
        : CohortExecutor;

    /// <summary>Gradient diagnostics need the clients' training data, which only in-process clients hold here.</summary>
    private bool Diagnosing => _experiment.Diagnostics.Enabled && CohortExecutor.HoldsClientData;

    /// <summary>The loss of a server batch of <paramref name="size"/> samples drawn for the round, for a rule that scores updates (drawn only when asked for).</summary>
    private Func<float[], double> ServerBatch(int size, int round)
    {
        _serverBatch ??= new ServerBatchLoss(_components.CreateModel(), _data.Train, size);
        _serverBatch.Draw(_experiment.Seed, round);
        return _serverBatch.Loss;
    }

    /// <summary>The aggregation weight of a client: its sample count, or 1 with uniform weighting.</summary>
    public double Weight(int client) => _experiment.UniformWeighting ? 1 : CohortExecutor.Samples(client);

    internal bool ShouldEvaluate(int round) => round % _experiment.EvalEvery == 0 || round == _experiment.Rounds;

    /// <summary>Scores the server's model and builds the round's metrics.</summary>
    internal RoundMetrics Evaluate(int round, double seconds, double trainLoss, long bytesUp, long bytesDown, int clients)
    {
        var clock = Stopwatch.StartNew();
        Evaluator.Score(Server.Global, Server.Buffers);
        var (accuracy, loss) = Evaluator.Overall();
        // Deployed clients hold their test splits and score the model (and their personal models) themselves.
        var scores = (_experiment.EvalClients || PersonalModel is not null) && CohortExecutor is IClientEvaluation scoring
            ? scoring.ScoreClients(round, Server.Global, Server.Buffers)
            : null;
        var perClient = !_experiment.EvalClients ? []
            : scores is not null ? [.. scores.Values.Select(s => s.Accuracy)]
            : Enumerable.Range(0, _data.Clients).Select(k => Evaluator.Over(_data.Partition.Test[k]).Accuracy).ToList();
        var metrics = new RoundMetrics
        {
            Round = round,
            TestAccuracy = accuracy,
            TestLoss = loss,
            TrainLoss = trainLoss,
            Seconds = seconds,
            BytesUp = bytesUp,
            BytesDown = bytesDown,
            Clients = clients,
            ClientAccuracy = ClientStatistics.Of(perClient),
        };
        if (_experiment.Mode == "federated" && Diagnosing && _experiment.Diagnostics.MeasuresGradients(round, _experiment.EvalEvery, _experiment.Rounds))
        {
            int[] sample = ClientSampler.Sample(_data.Clients, _experiment.Diagnostics.Clients, _experiment.Seed, round, "diagnostics");
            var spread = new GradientSpread(_executor, _components.Bind, Weight).Measure(Server.Global, sample, round);
            metrics.Extra["zeta2"] = spread.Zeta2;
            metrics.Extra["sigma2"] = spread.Sigma2;
        }
        if (PersonalModel is not null && CohortExecutor.HoldsClientData)
        {
            var splits = TestSplits(training: true);
            var global = splits.Select(split => Evaluator.Over(split).Accuracy).ToList();
            PersonalEvaluation.Record(metrics, ScorePersonal(splits, round), global);
        }
        if (_training < _data.Clients && round == _experiment.Rounds)
        {
            RecordNewClients(metrics, round);
        }
        else if (PersonalModel is not null && scores is not null)
        {
            PersonalEvaluation.Record(metrics, [.. scores.Values.Select(s => s.PersonalAccuracy)], [.. scores.Values.Select(s => s.Accuracy)]);
        }
        metrics.EvalSeconds = clock.Elapsed.TotalSeconds;
        return metrics;
    }

    /// <summary>Each client's test split, or none (empty) for a client of the other kind: training or held out.</summary>
    private int[][] TestSplits(bool training) =>
        [.. Enumerable.Range(0, _data.Clients).Select(k => k < _training == training ? _data.Partition.Test[k] : [])];

    private double[] ScorePersonal(IReadOnlyList<int[]> splits, int round) =>
        PersonalEvaluation.Score(_executor, PersonalModel!, States, Server.Global, Server.Buffers, _data.Test, splits,
            (worker, client) => _components.Bind(worker, client, round), _experiment.Client.LearningRate);

    /// <summary>
    /// The held-out clients personalize from the final model with the method's procedure (<see cref="NewClients"/>;
    /// none: the global model is theirs) and are scored on their own test splits as new_client_accuracy_*.
    /// </summary>
    private void RecordNewClients(RoundMetrics metrics, int round)
    {
        var splits = TestSplits(training: false);
        if (PersonalModel is null)
        {
            PersonalEvaluation.Spread(metrics, "new_client_accuracy", [.. splits.Select(split => Evaluator.Over(split).Accuracy)]);
            return;
        }
        if (Personal is not null)
        {
            NewClients.Personalize(_executor, _components.Bind, [.. Enumerable.Range(_training, _data.Clients - _training)], round + 1, Server,
                _experiment, Algorithm, States, Personal);
        }
        PersonalEvaluation.Spread(metrics, "new_client_accuracy", ScorePersonal(splits, round + 1));
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
