using Cohort.Federated.State;
using System.Numerics.Tensors;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// SCAFFOLD (Karimireddy et al. 2020): local steps follow gᵢ(y) − cᵢ + c, correcting each client's
/// drift by the difference of control variates. Afterwards the client sets cᵢ⁺ to ∇fᵢ(x) (option I)
/// or to cᵢ − c + (x − y)/(Kη) (option II, K the steps it took) and sends Δy = y − x and Δc = cᵢ⁺ − cᵢ;
/// the server takes x += η_g·mean Δy and c += (Σ_S w / Σ_all w)·mean Δc (|S|/N with uniform weights).
/// cᵢ lives in the client state store; c in the server state.
/// </summary>
internal sealed class Scaffold(bool optionOne, float serverLearningRate) : IFederatedAlgorithm
{
    public const string ServerControl = "scaffold.c";
    public const string ClientControl = "scaffold.c_i";

    /// <summary>What each client keeps: its control variate cᵢ.</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("scaffold").Vector(ClientControl);

    private static readonly ClientVector ControlState = ClientState[ClientControl];
    public const string ControlDelta = "scaffold.delta_c";

    public string Name => "scaffold";

    public MessageLayout Uplink { get; } = new([ControlDelta], []);

    public IReadOnlyList<string> Downlink(int exchange) => [ServerControl];

    public static AlgorithmDeclaration Declaration { get; } = new("scaffold", "SCAFFOLD (Karimireddy et al. 2020): control variates correct the client drift", Create)
    {
        Keys =
        [
            Key.Choice("option", "II", "how c_i is updated, I (full gradient at x) or II (from the local steps)", "I", "II"),
            Key.Number("server_lr", "1", "server learning rate η", 1e-12),
        ],
    };

    public static Scaffold Create(ExperimentConfig config)
    {
        bool optionOne = config.Get("algorithm.option") == "I";
        // Option II reads the mean corrected gradient off (x − y)/(Kη), which holds only for K plain SGD steps of rate η.
        if (!optionOne && (config.Get("client.optimizer") != "sgd" || config.GetDouble("client.momentum") != 0))
        {
            throw new ConfigException($"algorithm.option II of scaffold takes cᵢ⁺ from (x − y)/(Kη), which holds for plain SGD only: set client.optimizer sgd and client.momentum 0 (got {config.Get("client.optimizer")}, {config.Get("client.momentum")}), or use algorithm.option I.");
        }
        return new Scaffold(optionOne, (float)config.GetDouble("algorithm.server_lr"));
    }

    public void InitializeServer(ServerState server) => server.Declare(Name, ServerControl);

    public ClientResult RunClient(ClientContext context)
    {
        var buffers = context.Buffers;
        var ci = buffers.Vector(ClientControl);
        if (!context.States.TryRead(context.Client, ControlState, ci))
        {
            ci.AsSpan().Clear();
        }
        var next = buffers.Vector(ControlDelta);
        if (optionOne)
        {
            LocalTraining.FullGradient(context);
            context.Objective.Gradients.CopyTo(next);
        }
        var result = LocalTraining.RunToDelta(context, new Correction(context.Broadcast(ServerControl), ci));
        if (!optionOne)
        {
            // cᵢ⁺ = cᵢ − c − Δy/(Kη); no step taken leaves cᵢ as it was.
            float scale = result.Batches == 0 ? 0 : -1f / (result.Batches * context.Work.LearningRate);
            TensorPrimitives.Subtract(ci, context.Broadcast(ServerControl), next);
            TensorPrimitives.MultiplyAdd(buffers.Update, scale, next, next);
            if (result.Batches == 0)
            {
                ci.CopyTo(next, 0);
            }
        }
        context.States.Write(context.Client, ControlState, next);
        TensorPrimitives.Subtract(next, ci, next);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        ServerStep.Apply(server, aggregate.Update, serverLearningRate);
        var c = server.Vector(ServerControl);
        TensorPrimitives.MultiplyAdd(aggregate.Vectors[ControlDelta], (float)aggregate.Participation, c, c);
    }

    private sealed class Correction(float[] c, float[] ci) : IGradientCorrection
    {
        public void Correct(ILocalObjective objective, Span<float> gradient)
        {
            TensorPrimitives.Add(gradient, c, gradient);
            TensorPrimitives.Subtract(gradient, ci, gradient);
        }
    }
}
