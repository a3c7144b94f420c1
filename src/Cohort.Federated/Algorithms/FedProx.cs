using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedProx (Li et al. 2020): clients minimise fᵢ(y) + (μ/2)‖y − x‖², so each local step's gradient
/// gains μ(y − x); the server averages as FedAvg.
/// </summary>
internal sealed class FedProx(float mu) : IFederatedAlgorithm
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedprox", "FedProx (Li et al. 2020): FedAvg with a proximal term μ/2·‖w − w_global‖² in the local objective",
        config => new FedProx((float)config.GetDouble("algorithm.mu")))
    {
        Keys = [Key.Number("mu", "0.01", "proximal weight μ", 0)],
    };

    public string Name => "fedprox";

    public float Mu { get; } = mu;

    public void InitializeServer(ServerState server)
    {
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context, new Proximal(Mu, context.Global));
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);

    private sealed class Proximal(float mu, ReadOnlyMemory<float> global) : IGradientCorrection
    {
        public void Correct(ILocalObjective objective, Span<float> gradient) =>
            VectorOps.AddScaledDifference(gradient, mu, objective.Parameters, global.Span);
    }
}
