using System.Numerics.Tensors;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedNova (Wang et al. 2020): clients that take different numbers of local steps τᵢ send their change
/// normalised by its effective step count aᵢ (τᵢ for plain SGD; (τᵢ − ρ(1 − ρ^τᵢ)/(1 − ρ))/(1 − ρ) with
/// momentum ρ), and aᵢ itself; the server steps x += η·τ_eff·mean((yᵢ − x)/aᵢ) with τ_eff = mean aᵢ, so
/// clients that ran longer no longer pull the model toward their own optimum.
/// </summary>
internal sealed class FedNova(float serverLearningRate) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("fednova", "FedNova (Wang et al. 2020): updates normalised by each client's local steps", config =>
    {
        if (config.Get("client.optimizer") != "sgd")
        {
            throw new ConfigException("algorithm.name fednova normalises by the steps of SGD (with client.momentum); client.optimizer must be sgd.");
        }
        return new FedNova((float)config.GetDouble("algorithm.server_lr"));
    })
    {
        Keys = [Key.Number("server_lr", "1", "server learning rate η", 1e-12)],
    };

    public const string StepCount = "fednova.a";

    public string Name => "fednova";

    public MessageLayout Uplink { get; } = new([], [StepCount]);

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        var update = context.Buffers.Update;
        double a = EffectiveSteps(result.Batches, context.Work.Momentum);
        TensorPrimitives.Multiply(update, a > 0 ? (float)(1 / a) : 0f, update);
        context.Buffers.Scalars[StepCount] = a;
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) =>
        ServerStep.Apply(server, aggregate.Update, (float)(serverLearningRate * aggregate.Scalars[StepCount]));

    /// <summary>‖a‖₁ of torch-style SGD momentum ρ over τ steps: Σ_k (1 − ρ^k)/(1 − ρ).</summary>
    public static double EffectiveSteps(int steps, double momentum) =>
        momentum == 0 ? steps : (steps - momentum * (1 - Math.Pow(momentum, steps)) / (1 - momentum)) / (1 - momentum);
}
