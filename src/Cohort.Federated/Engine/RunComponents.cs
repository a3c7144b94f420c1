using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Attacks;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;
using Cohort.Federated.Personal;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Modules;
using Cohort.NN.Optimizers;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Engine;

/// <summary>
/// The components of a run, built from its experiment and data: workers, aggregator, client-state store,
/// attack, method with its stages and downlink, server state, evaluator and cohort executor. They are built
/// in one fixed order, since models and random streams are drawn as they are built.
/// </summary>
internal sealed class RunComponents
{
    /// <summary>
    /// Builds every component the config selects, except those given: a component given (a test's own, or a
    /// deployed server's remote cohort as the cohort executor) is used as it is.
    /// </summary>
    public RunComponents(Experiment experiment, FederatedData data,
        IFederatedAlgorithm? algorithm = null, IAggregator? aggregator = null, UpdatePipeline? pipeline = null, IClientStateStore? states = null,
        Func<Model>? createModel = null, ICohortExecutor? cohortExecutor = null)
    {
        Experiment = experiment;
        Data = data;
        Options = data.ModelOptions;
        var work = experiment.Client;
        var options = Options;
        // Every replica starts from the same seed, so all hold the same initial model.
        createModel ??= () => ModelZoo.Create(experiment.Model, experiment.Seed, options);
        CreateModel = createModel;
        Workers = new WorkerPool(experiment.Threads, i => new Worker(i, createModel(), work.BatchSize, ClientSetup.Optimizer(work)));
        Aggregator = aggregator ?? AggregatorFactory.Create(experiment.Config, data.Clients, experiment.CohortSize, Clipping);
        States = states ?? new SpillingStateStore(experiment.StateMemoryBytes, experiment.StateFolder);
        if (AttackFactory.Create(experiment.Config, Aggregator) is { } attack)
        {
            Byzantine = new ByzantineClients(attack, AttackFactory.ByzantineCount(experiment.Config, data.Clients), data, experiment.Seed);
        }
        var initial = createModel();
        Sampler = CohortSampler.From(experiment);
        // The executor, built last, knows each client's samples (a deployed server from the clients' reports).
        var wiring = ExperimentWiring.Build(experiment.Config, initial, States, Clipping, algorithm, pipeline, Sampler, k => CohortExecutor!.Samples(k));
        Algorithm = wiring.Algorithm;
        Pipeline = wiring.Pipeline;
        Downlink = wiring.Downlink;
        Server = new ServerState(initial.Parameters, initial.Buffers, new Sgd(1f));
        Algorithm.InitializeServer(Server);
        Evaluator = new Evaluator(Workers, data.Test);
        PersonalModel = PersonalModel.For(Algorithm, initial, experiment.Config);
        Personal = PersonalModel?.Kept;
        CohortExecutor = cohortExecutor ?? new InProcessCohort(Workers, Bind, data.ClientTrainCount, work, experiment.Seed, Algorithm, Pipeline, States) { Personal = Personal };
    }

    public Experiment Experiment { get; }

    public FederatedData Data { get; }

    public ModelOptions Options { get; }

    /// <summary>A fresh model with the run's initial parameters.</summary>
    public Func<Model> CreateModel { get; }

    /// <summary>The in-process workers (clients' training when simulated, evaluation and baselines always).</summary>
    public WorkerPool Workers { get; }

    /// <summary>Draws each round's cohort; a private run's accountant takes its rate from it.</summary>
    public CohortSampler Sampler { get; }

    /// <summary>Counts the updates norm clipping scaled down in a round, or DP-SGD's clipped examples.</summary>
    public ClippingMeter Clipping { get; } = new();

    public IAggregator Aggregator { get; }

    public IClientStateStore States { get; }

    /// <summary>The simulated Byzantine clients and their attack (null without one).</summary>
    public ByzantineClients? Byzantine { get; }

    public IFederatedAlgorithm Algorithm { get; }

    public UpdatePipeline Pipeline { get; }

    /// <summary>The compression of the server's broadcast (null: sent dense).</summary>
    public DownlinkCompression? Downlink { get; }

    public ServerState Server { get; }

    public Evaluator Evaluator { get; }

    /// <summary>The model part each client keeps for itself (null: the method keeps none).</summary>
    public PersonalParameters? Personal { get; }

    /// <summary>How each client's personal model is formed for scoring (null: there is none).</summary>
    public PersonalModel? PersonalModel { get; }

    /// <summary>Where the clients' halves of each round run: in-process workers, or remote clients.</summary>
    public ICohortExecutor CohortExecutor { get; }

    /// <summary>A worker's objective over a client's training samples, with the server's buffers (and the client's kept running statistics).</summary>
    public ILocalObjective Bind(Worker worker, int client, int round)
    {
        // A label-flipping Byzantine client trains on its own view of the data.
        var data = Byzantine?.DataFor(client, Data) ?? Data;
        var buffers = Personal?.BuffersFor(States, client, Server.Buffers, worker.PersonalBuffers) ?? Server.Buffers;
        return worker.Objective.Bind(data.Train, Data.Partition.Train[client], Experiment.Seed, round, client, buffers, Experiment.Client.Adversarial, Experiment.Client.Private, Clipping);
    }
}
