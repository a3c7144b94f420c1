using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Optimizers;
using Cohort.Tensors;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.Federated.Tests.Quadratics;

/// <summary>
/// Federated rounds over quadratic clients through the engine's own <see cref="FederatedRound"/>,
/// workers, aggregator and state store; only the objective differs from a neural run.
/// </summary>
internal sealed class QuadraticFederation : IDisposable
{
    private readonly WorkerPool _executor;
    private readonly QuadraticObjective[] _objectives;
    private readonly IReadOnlyList<Quadratic> _clients;
    private readonly FederatedRound _round;
    private readonly SpillingStateStore _states = new(1L << 20);
    private readonly BufferedCohort? _source;

    public QuadraticFederation(IFederatedAlgorithm algorithm, IReadOnlyList<Quadratic> clients, LocalWork work, double[]? start = null,
        int threads = 1, bool uniform = true, int batchSize = int.MaxValue, Asynchrony? asynchrony = null, Func<int, int, long>? durations = null,
        UpdatePipeline? pipeline = null)
    {
        _clients = clients;
        int d = clients[0].Dimension;
        _executor = new WorkerPool(threads, i => new Worker(i, Model(d), 1, ClientSetup.Optimizer(work)));
        _objectives = _executor.All.Select(w => new QuadraticObjective(w.Model.Parameters, w.Model.Gradients, batchSize)).ToArray();
        Server = new ServerState((start ?? new double[d]).Select(v => (float)v).ToArray(), [], new Sgd(1f));
        algorithm.InitializeServer(Server);
        Weights = clients.Select(c => uniform ? 1.0 : c.Rows).ToArray();
        var cohort = new InProcessCohort(_executor, (worker, client, _) => _objectives[worker.Index].Bind(clients[client]), k => clients[k].Rows,
            work, 0, algorithm, UpdatePipeline.Empty, _states);
        // Asynchronous clients last durations(client, version) time units each.
        ICohortExecutor executor = asynchrony is null ? cohort : _source = new BufferedCohort(cohort, asynchrony, clients.Count, 0, durations ?? ((_, _) => 1));
        _round = new FederatedRound(executor, algorithm, new WeightedMean(), pipeline ?? UpdatePipeline.Empty, Server, 0, k => Weights[k], Weights.Sum())
        {
            Asynchrony = asynchrony,
        };
    }

    public ServerState Server { get; }

    public double[] Weights { get; }

    public IClientStateStore States => _states;

    public double[] X => Server.Global.Select(v => (double)v).ToArray();

    /// <summary>Runs a round with the given cohort (every client when none is given).</summary>
    public RoundOutcome Run(int round, params int[] cohort) =>
        _round.Run(round, cohort.Length > 0 ? cohort : Enumerable.Range(0, _clients.Count).ToArray(), measureDrift: true);

    /// <summary>Runs an asynchronous round: the buffered updates that arrive, whichever version they came from.</summary>
    public RoundOutcome RunAsynchronous(int round) =>
        _round.Run(round, (_source ?? throw new InvalidOperationException("The federation is synchronous.")).CohortOf(round), measureDrift: false);

    public ObjectiveBinder Binder => (worker, client, _) => _objectives[worker.Index].Bind(_clients[client]);

    public IWorkerPool Executor => _executor;

    public void Dispose()
    {
        _executor.Dispose();
        _states.Dispose();
    }

    /// <summary>A model whose only parameter is the point x of dimension d (its forward pass is never used).</summary>
    private static Model Model(int d)
    {
        var builder = new ParameterBuilder();
        var root = new Point(builder, d);
        return new Model("quadratic", root, builder, Shape.Of([1]), 0);
    }

    private sealed class Point(ParameterBuilder builder, int d) : Module
    {
        private readonly Tensor _x = builder.Parameter("x", Shape.Of([d]), ParameterInit.Constant(0));

        public override Tensor Forward(Tape tape, Tensor x) => throw new NotSupportedException($"{_x.Name} is a point, not a network.");
    }
}
