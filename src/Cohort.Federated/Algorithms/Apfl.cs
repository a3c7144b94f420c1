using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Personal;
using Cohort.Federated.State;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// APFL (Deng, Kamani, Mahdavi 2020, Algorithm 1): each client keeps a local model v and a mixing weight α,
/// and its personal model is the mixture v̄ = α·v + (1 − α)·w with the global w. Per local step, on one
/// mini-batch ξ and at the step's current iterates: w ← w − η∇f(w; ξ) (the client optimizer's step, as
/// FedAvg), v ← v − η·α·∇f(v̄; ξ) (the gradient of f(v̄) in v), and
/// α ← clip₀¹(α − η_α⟨v − w, ∇f(v̄; ξ)⟩) (its gradient in α; the reference code's alpha_update).
/// The client sends w's change; v and α never leave it. algorithm.alpha_lr 0 keeps α fixed at
/// algorithm.alpha, and α = 0 makes the personal model the global one.
/// </summary>
internal sealed class Apfl(float initialAlpha, float alphaLearningRate) : IFederatedAlgorithm
{
    public const string LocalVector = "apfl.v";
    public const string AlphaVector = "apfl.alpha";

    /// <summary>What each client keeps: its local model v and its mixing weight α (one value).</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("apfl").Vector(LocalVector).Vector(AlphaVector);

    private static readonly ClientVector LocalState = ClientState[LocalVector];
    private static readonly ClientVector AlphaState = ClientState[AlphaVector];

    public static AlgorithmDeclaration Declaration { get; } = new("apfl", "APFL (Deng et al. 2020): personal model α·v + (1 − α)·w, v a local model and α learned per client",
        config => new Apfl((float)config.GetDouble("algorithm.alpha"), (float)(config.GetOptionalDouble("algorithm.alpha_lr") ?? config.GetDouble("client.lr"))))
    {
        Keys =
        [
            Key.Number("alpha", "0.5", "each client's starting mixing weight α of its local model", 0, 1),
            Key.Number("alpha_lr", null, "the learning rate η_α of α (0: α stays fixed; unset: client.lr)", 0),
        ],
    };

    public string Name => "apfl";

    public IPersonalModel PersonalModel { get; } = new Mixture(initialAlpha);

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var objective = context.Objective;
        var buffers = context.Buffers;
        var v = buffers.Vector(LocalVector);
        var mixed = buffers.Vector("apfl.mixed");
        var gradient = buffers.Vector("apfl.gradient");
        float alpha = ReadAlpha(context.States, context.Client, initialAlpha);
        if (!context.States.TryRead(context.Client, LocalState, v))
        {
            context.Global.Span.CopyTo(v);
        }
        objective.Load(context.Global.Span);
        var optimizer = context.Optimizer;
        optimizer.Reset();
        optimizer.LearningRate = context.Work.LearningRate;
        float lr = context.Work.LearningRate;
        double lossSum = 0;
        int batches = 0;
        for (long s = 0; s < context.Steps && objective.Samples > 0; s++)
        {
            Mix(alpha, v, objective.Parameters, mixed);
            lossSum += objective.NextBatch();
            objective.BatchGradientAt(mixed, gradient);
            TensorPrimitives.Subtract(v, objective.Parameters, mixed);
            float alphaGradient = TensorPrimitives.Dot(mixed, gradient);
            optimizer.Step(objective.Parameters, objective.Gradients);
            TensorPrimitives.MultiplyAdd(gradient, -lr * alpha, v, v);
            alpha = Math.Clamp(alpha - alphaLearningRate * alphaGradient, 0f, 1f);
            batches++;
        }
        context.States.Write(context.Client, LocalState, v);
        context.States.Write(context.Client, AlphaState, [alpha]);
        LocalTraining.Delta(objective.Parameters, context.Global.Span, buffers.Update);
        return new ClientResult(objective.Samples, lossSum, batches);
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);

    /// <summary>The client's α: stored, else the starting value.</summary>
    public static float ReadAlpha(IClientStateStore states, int client, float initial)
    {
        Span<float> alpha = stackalloc float[1];
        return states.TryRead(client, AlphaState, alpha) ? alpha[0] : initial;
    }

    /// <summary>mixed = α·v + (1 − α)·w.</summary>
    private static void Mix(float alpha, ReadOnlySpan<float> v, ReadOnlySpan<float> w, Span<float> mixed)
    {
        TensorPrimitives.Multiply(w, 1 - alpha, mixed);
        TensorPrimitives.MultiplyAdd(v, alpha, mixed, mixed);
    }

    /// <summary>The personal model α·v + (1 − α)·w with the current global w; the global model for a client without v.</summary>
    private sealed class Mixture(float initialAlpha) : IPersonalModel
    {
        public void Compose(IClientStateStore states, int client, ReadOnlySpan<float> global, Span<float> destination)
        {
            if (!states.TryRead(client, LocalState, destination))
            {
                global.CopyTo(destination);
                return;
            }
            float alpha = ReadAlpha(states, client, initialAlpha);
            TensorPrimitives.Multiply(destination, alpha, destination);
            TensorPrimitives.MultiplyAdd(global, 1 - alpha, destination, destination);
        }
    }
}
