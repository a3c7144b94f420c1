using Cohort.Federated.State;
using System.Numerics.Tensors;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// MARINA (Gorbunov et al. 2021) with full-batch gradients, every client in every round. One coin
/// c ~ Bernoulli(p) per round, the same for all clients (drawn from the (seed, round) stream; the first
/// round always syncs). With c = 1 client i sends gᵢ(xₜ) = −η∇fᵢ(xₜ) dense and the server's estimate
/// becomes their mean; else it sends Q(gᵢ(xₜ) − gᵢ(xₜ₋₁)) and the estimate moves by their mean. The
/// server then adds the estimate to the model. Each client keeps the model it received last round.
/// </summary>
internal sealed class Marina(ICompressor compressor, double syncProbability, ulong seed) : IFederatedAlgorithm, IEncodesOwnUplink
{
    public const string Estimate = "marina.estimate";
    public const string PreviousModel = "marina.previous";

    /// <summary>What each client keeps: the model of its last round.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("marina").Vector(PreviousModel);

    private static readonly ClientVector PreviousState = ClientState[PreviousModel];
    private static readonly long Purpose = RandomStream.Purpose("marina");
    private static readonly ICompressor Dense = new DenseFloat32();

    public string Name => "marina";

    public static AlgorithmDeclaration Declaration { get; } = new("marina", "MARINA (Gorbunov et al. 2021): compressed gradient differences, with full gradients in random sync rounds", Create)
    {
        Keys = [Key.Number("sync_probability", "0.1", "p, the chance that a round sends full gradients", 1e-9, 1)],
        EncodesOwnUplink = true,
    };

    /// <summary>Sync rounds send the gradient dense, the others its compressed difference.</summary>
    public IReadOnlyList<ICompressor> UplinkCompressors => [Dense, compressor];

    public static Marina Create(ExperimentConfig config)
    {
        if (MethodCompressor.Participation(config) < 1)
        {
            throw new ConfigException($"clients_per_round: marina needs every client in every round (1.0 or {config.GetInt("partition.clients")}); got {config.Get("clients_per_round")}.");
        }
        return new(MethodCompressor.Uplink(config, "marina"), config.GetDouble("algorithm.sync_probability"), (ulong)config.GetInt("seed"));
    }

    /// <summary>Whether round <paramref name="round"/> sends full gradients: the coin all clients and the server draw alike.</summary>
    public bool Syncs(int round) =>
        round <= 1 || RandomStream.Create(seed, Purpose, round).NextDouble() < syncProbability;

    public void InitializeServer(ServerState server) => server.Declare(Name, Estimate);

    public ClientResult RunClient(ClientContext context)
    {
        var update = context.Buffers.Update;
        var result = Gradient(context, update);
        var previous = context.Buffers.Vector(PreviousModel);
        bool sync = Syncs(context.Round);
        if (!sync && !context.States.TryRead(context.Client, PreviousState, previous))
        {
            throw new InvalidOperationException($"marina: client {context.Client} holds no model from round {context.Round - 1}.");
        }
        context.States.Write(context.Client, PreviousState, context.Global.Span);
        long bytes;
        if (sync)
        {
            bytes = WireRoundTrip.Send(Dense, update, update, default);
        }
        else
        {
            // The old gradient, at the model of last round, into the same scratch the old model came in.
            Gradient(context with { Global = previous }, previous);
            TensorPrimitives.Subtract(update, previous, update);
            bytes = WireRoundTrip.Send(compressor, update, update, RandomStream.Create(context.Seed, Purpose, context.Round, context.Client));
        }
        return result with { MessageBytes = bytes };
    }

    public void ApplyAggregate(ServerState server, RoundAggregate round)
    {
        var aggregate = round.Update;
        var estimate = server.Vector(Estimate);
        // Server.Round counts completed rounds: this aggregate is round Server.Round + 1's.
        if (Syncs(server.Round + 1))
        {
            aggregate.CopyTo(estimate);
        }
        else
        {
            TensorPrimitives.Add(estimate, aggregate, estimate);
        }
        estimate.CopyTo(server.Scratch, 0);
        ServerStep.Apply(server, server.Scratch);
    }

    /// <summary>−η·∇fᵢ at the context's model, into <paramref name="target"/>.</summary>
    private static ClientResult Gradient(ClientContext context, float[] target)
    {
        var result = LocalTraining.FullGradient(context);
        TensorPrimitives.Multiply(context.Objective.Gradients, -context.Work.LearningRate, target);
        return result;
    }
}
