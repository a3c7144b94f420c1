using System.Numerics.Tensors;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// q-FFL (Li et al. 2020, q-FedAvg): the objective Σ pᵢ fᵢ^{q+1}/(q+1), which moves toward max fᵢ as q
/// grows. Each client takes its loss Fᵢ = fᵢ(x) (forward passes only), runs local SGD, and with L = 1/η and Δᵢ = L(x − yᵢ)
/// sends Fᵢ^q·Δᵢ (as the update −Fᵢ^q·Δᵢ) and hᵢ = q·Fᵢ^{q−1}‖Δᵢ‖² + L·Fᵢ^q; the server steps
/// x −= mean(Fᵢ^q·Δᵢ)/mean(hᵢ). q = 0 is FedAvg.
/// </summary>
internal sealed class QFfl(float q) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("qffl", "q-FFL (Li et al. 2020): updates weighted towards clients with high loss",
        config => new QFfl((float)config.GetDouble("algorithm.q")))
    {
        Keys = [Key.Number("q", "1", "fairness q (0 is FedAvg)", 0)],
    };

    public const string Curvature = "qffl.h";

    public string Name => "qffl";

    public MessageLayout Uplink { get; } = new([], [Curvature]);

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        context.Objective.Load(context.Global.Span);
        double loss = context.Objective.FullLoss();
        var result = LocalTraining.RunToDelta(context);
        var update = context.Buffers.Update;
        double lipschitz = 1.0 / context.Work.LearningRate;
        double deltaSquared = lipschitz * lipschitz * VectorOps.SquaredNorm(update);
        double lossQ = Math.Pow(loss, q);
        double h = lipschitz * lossQ + (loss > 0 ? q * Math.Pow(loss, q - 1) * deltaSquared : 0);
        TensorPrimitives.Multiply(update, (float)(lossQ * lipschitz), update);
        context.Buffers.Scalars[Curvature] = h;
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        double h = aggregate.Scalars[Curvature];
        if (h > 0)
        {
            ServerStep.Apply(server, aggregate.Update, (float)(1 / h));
        }
    }
}
