using System.Numerics.Tensors;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// MimeLite (Karimireddy et al. 2021): clients step with the base optimizer, SGD with heavy-ball
/// momentum, its state m frozen for the round: y ← y − η(gᵢ(y) + β·m). Each client also sends its
/// full-batch gradient at the broadcast x (an extra pass over its data and a second model-sized
/// message); the server averages the models and steps the optimizer's state on the mean gradient,
/// m ← mean ∇fᵢ(x) + β·m. This is FedJAX's mime_lite with sgd(η, β) (optax's and PyTorch's momentum):
/// the first round is FedAvg's, and the paper's (1 − β)-scaled form is the same method at rate η/(1 − β).
/// </summary>
internal sealed class MimeLite(float beta) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("mimelite", "MimeLite (Karimireddy et al. 2020): local steps with the server's momentum",
        config => MimeChecks.RequirePlainSgd(config, new MimeLite((float)config.GetDouble("algorithm.beta"))))
    {
        Keys = [Key.Number("beta", "0.9", "momentum β", 0, 1)],
    };

    public const string Momentum = "mime.m";
    public const string Gradient = "mime.grad";

    public string Name => "mimelite";

    public MessageLayout Uplink { get; } = new([Gradient], []);

    public IReadOnlyList<string> Downlink(int exchange) => [Momentum];

    public void InitializeServer(ServerState server) => server.Declare(Name, Momentum);

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
        UpdateMomentum(server.Vector(Momentum), aggregate.Vectors[Gradient], beta);
    }

    /// <summary>m ← g + β·m: the base optimizer's momentum update.</summary>
    internal static void UpdateMomentum(Span<float> m, ReadOnlySpan<float> g, float beta) =>
        TensorPrimitives.MultiplyAdd(m, beta, g, m);

    /// <summary>g ← g + β·m: the base optimizer's step direction with its state frozen.</summary>
    internal sealed class MomentumStep(float beta, float[] m) : IGradientCorrection
    {
        public void Correct(ILocalObjective objective, Span<float> gradient) =>
            TensorPrimitives.MultiplyAdd(m, beta, gradient, gradient);
    }
}
