namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedOpt's adaptive servers (Reddi et al. 2021) over FedAvg's clients, as in the paper's Algorithm 2
/// with no bias correction: Δ ← β₁Δ + (1 − β₁)·mean update; v by FedAdagrad (v += Δ²), FedAdam
/// (v ← β₂v + (1 − β₂)Δ²) or FedYogi (v ← v − (1 − β₂)Δ²·sign(v − Δ²)); x += ηΔ/(√v + τ). Δ starts
/// at 0 and v at τ² (the paper's v₋₁ ≥ τ²).
/// </summary>
public sealed class FedOpt(FedOpt.Rule rule, float serverLearningRate, float beta1, float beta2, float tau) : IFederatedAlgorithm
{
    public const string Moment = "fedopt.delta";
    public const string SecondMoment = "fedopt.v";

    public enum Rule
    {
        Adagrad,
        Adam,
        Yogi,
    }

    public string Name => "fed" + rule.ToString().ToLowerInvariant();

    public void InitializeServer(ServerState server)
    {
        server.Vectors[Moment] = new float[server.Global.Length];
        var v = new float[server.Global.Length];
        v.AsSpan().Fill(tau * tau);
        server.Vectors[SecondMoment] = v;
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        var delta = server.Vectors[Moment];
        var v = server.Vectors[SecondMoment];
        var x = server.Global;
        var mean = aggregate.Update;
        for (int i = 0; i < x.Length; i++)
        {
            float d = beta1 * delta[i] + (1 - beta1) * mean[i];
            float d2 = d * d;
            v[i] = rule switch
            {
                Rule.Adagrad => v[i] + d2,
                Rule.Adam => beta2 * v[i] + (1 - beta2) * d2,
                _ => v[i] - (1 - beta2) * d2 * MathF.Sign(v[i] - d2),
            };
            delta[i] = d;
            x[i] += serverLearningRate * d / (MathF.Sqrt(v[i]) + tau);
        }
    }
}
