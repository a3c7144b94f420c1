namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedAvg (McMahan et al. 2017): each client runs local SGD from the global model and sends its
/// change; the server applies the weighted mean of the changes through its optimizer (SGD with rate 1:
/// the new model is the weighted mean of the clients' models).
/// </summary>
internal sealed class FedAvg : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedavg", "FedAvg (McMahan et al. 2017): local training, the server steps with the mean update", _ => new FedAvg());

    public string Name => "fedavg";

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
}
