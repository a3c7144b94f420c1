using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedOpt's adaptive servers (Reddi et al. 2021, Algorithm 2) over FedAvg's clients, with Δ the round's
/// mean update: m ← β₁m + (1 − β₁)Δ; v from the round's own Δ², by FedAdagrad (v += Δ²), FedAdam
/// (v ← β₂v + (1 − β₂)Δ²) or FedYogi (v ← v − (1 − β₂)Δ²·sign(v − Δ²)); x += η·m/(√v + τ).
/// m starts at 0 and v at τ² (the paper's v₋₁ ≥ τ²); no bias correction, as in the algorithm.
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

    public static AlgorithmDeclaration Adagrad { get; } = Declare(Rule.Adagrad, "FedAdagrad (Reddi et al. 2021): the server steps with Adagrad on the mean update", "0.03162", "0", "0.01");

    public static AlgorithmDeclaration Adam { get; } = Declare(Rule.Adam, "FedAdam (Reddi et al. 2021): the server steps with Adam on the mean update", "0.003162", "0.9", "0.0001");

    public static AlgorithmDeclaration Yogi { get; } = Declare(Rule.Yogi, "FedYogi (Reddi et al. 2021): the server steps with Yogi on the mean update", "0.003162", "0.9", "0.0001");

    public string Name => "fed" + rule.ToString().ToLowerInvariant();

    private static AlgorithmDeclaration Declare(Rule rule, string doc, string serverLr, string beta1, string tau)
    {
        bool secondMoment = rule != Rule.Adagrad;
        KeySpec[] keys =
        [
            Key.Number("server_lr", serverLr, "server learning rate η", 1e-12),
            Key.Number("beta1", beta1, "β1 of the update average", 0, 0.999999),
            .. secondMoment ? [Key.Number("beta2", "0.99", "β2 of the second moment", 0, 1)] : Array.Empty<KeySpec>(),
            Key.Number("tau", tau, "adaptivity τ", 1e-12),
        ];
        return new AlgorithmDeclaration("fed" + rule.ToString().ToLowerInvariant(), doc, config => new FedOpt(
            rule,
            (float)config.GetDouble("algorithm.server_lr"),
            (float)config.GetDouble("algorithm.beta1"),
            secondMoment ? (float)config.GetDouble("algorithm.beta2") : 0,
            (float)config.GetDouble("algorithm.tau")))
        {
            Keys = keys,
        };
    }

    public void InitializeServer(ServerState server)
    {
        server.Declare(Name, Moment, SecondMoment).Vector(SecondMoment).AsSpan().Fill(tau * tau);
    }

    public ClientResult RunClient(ClientContext context)
    {
        var result = LocalTraining.RunToDelta(context);
        return result;
    }

    public void ApplyAggregate(ServerState server, RoundAggregate aggregate)
    {
        var m = server.Vector(Moment);
        var v = server.Vector(SecondMoment);
        var x = server.Global;
        var delta = aggregate.Update;
        for (int i = 0; i < x.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * delta[i];
            float d2 = delta[i] * delta[i];
            v[i] = rule switch
            {
                Rule.Adagrad => v[i] + d2,
                Rule.Adam => beta2 * v[i] + (1 - beta2) * d2,
                _ => v[i] - (1 - beta2) * d2 * MathF.Sign(v[i] - d2),
            };
            x[i] += serverLearningRate * m[i] / (MathF.Sqrt(v[i]) + tau);
        }
    }
}
