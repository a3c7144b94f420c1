using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedAvgM (Hsu et al. 2019): FedAvg's clients; the server keeps momentum on the mean update,
/// v ← βv + mean Δ, and steps x += ηv. A constant update a moves x by η·a/(1 − β) a round once v has
/// built up, so η defaults to 1 − β: the effective step of FedAvg.
/// </summary>
internal sealed class FedAvgM(float serverLearningRate, float momentum) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedavgm", "FedAvgM (Hsu et al. 2019): FedAvg with server momentum",
        config => new FedAvgM((float)config.GetDouble("algorithm.server_lr"), (float)config.GetDouble("algorithm.server_momentum")))
    {
        Keys =
        [
            Key.Number("server_lr", "1 - algorithm.server_momentum", "server learning rate η", 1e-12),
            Key.Number("server_momentum", "0.9", "server momentum β", 0, 0.999999),
        ],
    };

    public const string Velocity = "fedavgm.v";

    public string Name => "fedavgm";

    public void InitializeServer(ServerState server) => server.Declare(Name, Velocity);

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        var v = server.Vector(Velocity);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(v, momentum, aggregate.Update, v);
        ServerStep.Apply(server, v, serverLearningRate);
    }
}
