using System.Numerics.Tensors;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// MimeLite (Karimireddy et al. 2021): clients apply the server's momentum, frozen for the round:
/// y ← y − η((1 − β)·gᵢ(y) + β·m). Each client also sends its full-batch gradient at the broadcast x
/// (an extra pass over its data and a second model-sized message); the server averages the models and
/// sets m ← (1 − β)·mean ∇fᵢ(x) + β·m.
/// </summary>
public sealed class MimeLite(float beta) : IFederatedAlgorithm
{
    public const string Momentum = "mime.m";
    public const string Gradient = "mime.grad";

    public string Name => "mimelite";

    public MessageLayout Uplink { get; } = new([Gradient], []);

    public IReadOnlyList<string> Downlink(int exchange) => [Momentum];

    public void InitializeServer(ServerState server) => server.Vectors[Momentum] = new float[server.Global.Length];

    public ClientResult RunClient(ClientContext context)
    {
        LocalTraining.FullGradient(context);
        context.Objective.Gradients.CopyTo(context.Buffers.Vector(Gradient));
        var result = LocalTraining.RunToDelta(context, new MomentumStep(beta, context.Broadcast(Momentum)));
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        ServerStep.Apply(server, aggregate.Update);
        UpdateMomentum(server.Vectors[Momentum], aggregate.Vectors[Gradient], beta);
    }

    /// <summary>m ← (1 − β)·g + β·m.</summary>
    internal static void UpdateMomentum(Span<float> m, ReadOnlySpan<float> g, float beta)
    {
        TensorPrimitives.Multiply(m, beta, m);
        TensorPrimitives.MultiplyAdd(g, 1 - beta, m, m);
    }

    /// <summary>g ← (1 − β)·g + β·m: the server optimizer's step direction with its state frozen.</summary>
    internal sealed class MomentumStep(float beta, float[] m) : IGradientCorrection
    {
        public void Correct(ILocalObjective objective, Span<float> gradient)
        {
            TensorPrimitives.Multiply(gradient, 1 - beta, gradient);
            TensorPrimitives.MultiplyAdd(m, beta, gradient, gradient);
        }
    }
}
