using System.Diagnostics;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Attacks;
using Cohort.Federated.Config;
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
public sealed partial class FederatedRun : IDisposable
{
    private readonly Experiment _experiment;
    private readonly FederatedData _data;
    private readonly RunComponents _components;
    private readonly WorkerPool _executor;
    private readonly IReadOnlyList<IRunCallback> _callbacks;
    private readonly List<RoundMetrics> _history = [];
    private ServerBatchLoss? _serverBatch;
    private ICohortExecutor? _roundExecutor;

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
        if (Algorithm.NeedsCollaboratorGradients && !CohortExecutor.HoldsClientData)
        {
            throw new ConfigException($"algorithm.name {Algorithm.Name}: each client steps with the other clients' gradients at its own model, which a deployed run could only compute by sending client models to other clients; the method is simulated only.");
        }
        _training = _data.Clients - NewClients.Count(_experiment.Config, _data.Clients);
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

    /// <summary>Why the run stopped before its last round (a stage's budget), or null.</summary>
    internal string? StoppedBecause { get; private set; }

    /// <summary>Whether a stage's budget ends the run before <paramref name="round"/>; the reason goes to the summary.</summary>
    internal bool StopsBefore(int round)
    {
        StoppedBecause = Pipeline.StopsBefore(round, Server);
        return StoppedBecause is not null;
    }

    /// <summary>The run's count of clipped updates or examples (clipped_fraction).</summary>
    internal Metrics.ClippingMeter Clipping => _components.Clipping;

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
        IReadOnlyList<(string Key, string Value)> statements = [.. Pipeline.Statements(Server), .. States.Statements()];
        var summary = RunSummary.From(_history, _experiment.TargetAccuracy, total.Elapsed.TotalSeconds, trainingSeconds, rounds) with
        {
            Statements = StoppedBecause is { } reason ? [.. statements, ("stopped", reason)] : statements,
        };
        foreach (var c in _callbacks)
        {
            c.OnEnd(summary);
        }
        return summary;
    }

    /// <summary>The aggregation weight of a client: its sample count, or 1 with uniform weighting.</summary>
    public double Weight(int client) => _experiment.UniformWeighting ? 1 : CohortExecutor.Samples(client);

    public void Dispose()
    {
        _executor.Dispose();
        (States as IDisposable)?.Dispose();
    }
}
