using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedBuff (Nguyen et al. 2022, "Federated Learning with Buffered Asynchronous Aggregation"): clients
/// train as in FedAvg, each from the model that is current when it is dispatched, and upload when they
/// finish; the server keeps <c>concurrency</c> clients training and steps x += η·Σ s(τᵢ)·Δᵢ / K once K
/// updates are buffered, s(τ) = 1/√(1 + τ) weighting an update computed τ server steps ago. The paper's
/// K = 10 is the default; one round of the run is one server step.
/// </summary>
internal sealed class FedBuff(float serverLearningRate, Asynchrony asynchrony) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedbuff", "FedBuff (Nguyen et al. 2022): asynchronous clients, the server steps once K updates are buffered, stale ones weighted 1/sqrt(1 + staleness)", Create)
    {
        Keys =
        [
            Key.Integer("buffer_size", "10", "K, updates buffered per server step (one round)", 1),
            Key.Integer("concurrency", "20", "clients training at once", 1),
            Key.Number("server_lr", "1", "server learning rate η", 1e-12),
            Key.Integer("max_staleness", null, "updates more server steps stale than this are refused (default: none)", 0) with { Optional = true },
            Key.Number("duration_sigma", "0.5", "simulated client time: its local steps times a log-normal factor of this σ (0: time is the steps)", 0),
        ],
    };

    public string Name => "fedbuff";

    public Asynchrony Asynchrony => asynchrony;

    private static FedBuff Create(ExperimentConfig config)
    {
        int clients = config.GetInt("partition.clients");
        var asynchrony = new Asynchrony(config.GetInt("algorithm.buffer_size"), config.GetInt("algorithm.concurrency"),
            config.GetOptionalInt("algorithm.max_staleness"), config.GetDouble("algorithm.duration_sigma"));
        if (asynchrony.Concurrency > clients)
        {
            throw new ConfigException($"algorithm.concurrency: {asynchrony.Concurrency} clients training at once but partition.clients is {clients}.");
        }
        if (asynchrony.BufferSize > clients)
        {
            throw new ConfigException($"algorithm.buffer_size: {asynchrony.BufferSize} updates per step but partition.clients is {clients}; a client adds at most one update per model version.");
        }
        return new FedBuff((float)config.GetDouble("algorithm.server_lr"), asynchrony);
    }

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context) => LocalTraining.RunToDelta(context);

    /// <summary>The round loop hands over Σ s(τᵢ)·wᵢ·Δᵢ / Σ wᵢ (<see cref="StaleUpdates"/>); the server steps with η.</summary>
    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        if (serverLearningRate == 1)
        {
            // The same step as FedAvg's, so that a FedBuff run with nothing stale is a FedAvg run.
            ServerStep.Apply(server, aggregate.Update);
        }
        else
        {
            ServerStep.Apply(server, aggregate.Update, serverLearningRate);
        }
    }
}
