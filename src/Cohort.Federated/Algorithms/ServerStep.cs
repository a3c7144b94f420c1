using System.Numerics.Tensors;

namespace Cohort.Federated.Algorithms;

/// <summary>The server's step on the aggregate of the updates.</summary>
internal static class ServerStep
{
    /// <summary>The server optimizer's step on the pseudo-gradient −aggregate (FedOpt, Reddi et al. 2021); SGD with rate 1 adds the aggregate.</summary>
    public static void Apply(ServerState server, ReadOnlySpan<float> aggregate)
    {
        TensorPrimitives.Negate(aggregate, server.Scratch);
        server.Optimizer.Step(server.Global, server.Scratch);
    }

    /// <summary>x += η·aggregate.</summary>
    public static void Apply(ServerState server, ReadOnlySpan<float> aggregate, float learningRate) =>
        TensorPrimitives.MultiplyAdd(aggregate, learningRate, server.Global, server.Global);
}
