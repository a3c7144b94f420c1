using System.Numerics.Tensors;

namespace Cohort.Federated.Algorithms;

/// <summary>The server optimizer's step on the pseudo-gradient −aggregate (FedOpt, Reddi et al. 2021); SGD with rate 1 adds the aggregate.</summary>
public static class ServerStep
{
    public static void Apply(ServerState server, ReadOnlySpan<float> aggregate)
    {
        TensorPrimitives.Negate(aggregate, server.Scratch);
        server.Optimizer.Step(server.Global, server.Scratch);
    }
}
