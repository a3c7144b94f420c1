using Cohort.Federated.State;
using System.Numerics.Tensors;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedDyn (Acar et al. 2021): client i minimises fᵢ(y) − ⟨∇fᵢ(yᵢ^{t−1}), y⟩ + (α/2)‖y − x‖², keeping
/// gᵢ = ∇fᵢ(yᵢ^{t−1}) in the client state store (0 at first) and afterwards setting gᵢ ← gᵢ − α(y − x).
/// The server keeps h ← h − α·(Σ_S w / Σ_all w)·mean(y − x) and sets x ← mean y − h/α.
/// </summary>
internal sealed class FedDyn(float alpha) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("feddyn", "FedDyn (Acar et al. 2021): a dynamic regulariser aligning local and global stationary points",
        config => new FedDyn((float)config.GetDouble("algorithm.alpha")))
    {
        Keys = [Key.Number("alpha", "0.01", "regularizer α", 1e-12)],
    };

    public const string ClientGradient = "feddyn.grad";

    /// <summary>What each client keeps: its last local gradient term ∇Lᵢ(θᵢ).</summary>
    public static ClientStateDeclaration ClientState { get; } = new ClientStateDeclaration("feddyn").Vector(ClientGradient);

    private static readonly ClientVector GradientState = ClientState[ClientGradient];
    public const string ServerCorrection = "feddyn.h";

    public string Name => "feddyn";

    public void InitializeServer(ServerState server) => server.Declare(Name, ServerCorrection);

    public ClientResult RunClient(ClientContext context)
    {
        var previous = context.Buffers.Vector(ClientGradient);
        if (!context.States.TryRead(context.Client, GradientState, previous))
        {
            previous.AsSpan().Clear();
        }
        var result = LocalTraining.RunToDelta(context, new Dynamic(alpha, previous, context.Global));
        TensorPrimitives.MultiplyAdd(context.Buffers.Update, -alpha, previous, previous);
        context.States.Write(context.Client, GradientState, previous);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        var h = server.Vector(ServerCorrection);
        TensorPrimitives.MultiplyAdd(aggregate.Update, (float)(-alpha * aggregate.Participation), h, h);
        var x = server.Global;
        TensorPrimitives.Add(x, aggregate.Update, x);
        TensorPrimitives.MultiplyAdd(h, -1 / alpha, x, x);
    }

    /// <summary>g ← g − gᵢ + α(y − x).</summary>
    private sealed class Dynamic(float alpha, float[] previous, ReadOnlyMemory<float> global) : IGradientCorrection
    {
        public void Correct(ILocalObjective objective, Span<float> gradient)
        {
            TensorPrimitives.Subtract(gradient, previous, gradient);
            VectorOps.AddScaledDifference(gradient, alpha, objective.Parameters, global.Span);
        }
    }
}
