namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedSGD: each client sends −η·∇f_i(w), its full-batch gradient scaled by the client learning rate;
/// with every client taking part and samples weighting, a round is one step of full-batch gradient descent.
/// </summary>
internal sealed class FedSgd : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedsgd", "FedSGD: one full-batch gradient per client, the server steps with their mean", _ => new FedSgd());

    public string Name => "fedsgd";

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.FullGradient(context);
        System.Numerics.Tensors.TensorPrimitives.Multiply(context.Objective.Gradients, -context.Work.LearningRate, context.Buffers.Update);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
}
