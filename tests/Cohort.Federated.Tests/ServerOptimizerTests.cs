using Cohort.Federated.Algorithms;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Tests;

/// <summary>Server steps on a given aggregate against numbers worked out by hand.</summary>
public class ServerOptimizerTests
{
    private static ServerState Apply(IFederatedAlgorithm algorithm, params float[][] aggregates)
    {
        var server = new ServerState([1f, 2f], [], new Sgd(1f));
        algorithm.InitializeServer(server);
        foreach (var a in aggregates)
        {
            algorithm.ApplyAggregate(server, new RoundAggregate(0, a, new Dictionary<string, float[]>(), new Dictionary<string, double>(), 1, 1));
        }
        return server;
    }

    // Reddi et al. (2021), Algorithm 2, on x₀ = (1, 2) with η = 0.5, β₁ = 0.9, β₂ = 0.99, τ = 0.1 (so v₋₁ = τ² = 0.01)
    // and the mean updates Δ₁ = (0.2, −0.05), Δ₂ = (0.1, 0.3). The first moment is the same for all three rules:
    // m₁ = 0.1·Δ₁ = (0.02, −0.005), m₂ = 0.9·m₁ + 0.1·Δ₂ = (0.028, 0.0255). The second moment takes Δ², not m².
    private static readonly float[] Delta1 = [0.2f, -0.05f];
    private static readonly float[] Delta2 = [0.1f, 0.3f];

    private static void AssertTwoSteps(ServerState server, double[] v1, double[] v2)
    {
        double[] x1 = [1 + 0.5 * 0.02 / (Math.Sqrt(v1[0]) + 0.1), 2 + 0.5 * -0.005 / (Math.Sqrt(v1[1]) + 0.1)];
        double[] x2 = [x1[0] + 0.5 * 0.028 / (Math.Sqrt(v2[0]) + 0.1), x1[1] + 0.5 * 0.0255 / (Math.Sqrt(v2[1]) + 0.1)];
        Assert.Equal(x2[0], server.Global[0], 2e-6);
        Assert.Equal(x2[1], server.Global[1], 2e-6);
        Assert.Equal(v2[0], server.Vector(FedOpt.SecondMoment)[0], 1e-8);
        Assert.Equal(v2[1], server.Vector(FedOpt.SecondMoment)[1], 1e-8);
        Assert.Equal(0.028, server.Vector(FedOpt.Moment)[0], 1e-8);
        Assert.Equal(0.0255, server.Vector(FedOpt.Moment)[1], 1e-8);
    }

    [Fact]
    public void FedAdagradAddsTheSquaredMeanUpdate()
    {
        // v₁ = 0.01 + Δ₁² = (0.05, 0.0125); v₂ = v₁ + Δ₂² = (0.06, 0.1025).
        var server = Apply(new FedOpt(FedOpt.Rule.Adagrad, 0.5f, 0.9f, 0f, 0.1f), Delta1, Delta2);
        AssertTwoSteps(server, [0.05, 0.0125], [0.06, 0.1025]);
    }

    [Fact]
    public void FedAdamAveragesTheSquaredMeanUpdate()
    {
        // v₁ = 0.99·0.01 + 0.01·Δ₁² = (0.0099 + 0.0004, 0.0099 + 0.000025) = (0.0103, 0.009925);
        // v₂ = 0.99·v₁ + 0.01·Δ₂² = (0.010197 + 0.0001, 0.00982575 + 0.0009) = (0.010297, 0.01072575).
        var server = Apply(new FedOpt(FedOpt.Rule.Adam, 0.5f, 0.9f, 0.99f, 0.1f), Delta1, Delta2);
        AssertTwoSteps(server, [0.0103, 0.009925], [0.010297, 0.01072575]);
    }

    [Fact]
    public void FedYogiMovesVTowardTheSquaredMeanUpdateBySign()
    {
        // Round 1: Δ₁² = (0.04, 0.0025) against v = 0.01: v₁ = (0.01 + 0.01·0.04, 0.01 − 0.01·0.0025) = (0.0104, 0.009975).
        // Round 2: Δ₂² = (0.01, 0.09): v₂ = (0.0104 − 0.01·0.01, 0.009975 + 0.01·0.09) = (0.0103, 0.010875).
        var server = Apply(new FedOpt(FedOpt.Rule.Yogi, 0.5f, 0.9f, 0.99f, 0.1f), Delta1, Delta2);
        AssertTwoSteps(server, [0.0104, 0.009975], [0.0103, 0.010875]);
    }

    [Fact]
    public void FedAvgMIsHeavyBallOnTheMeanUpdate()
    {
        // v = 0.5, then v = 0.9·0.5 + 0.5 = 0.95; x = 1 + 0.5 + 0.95 with η = 1.
        var server = Apply(new FedAvgM(1f, 0.9f), [0.5f, 0f], [0.5f, 0f]);
        Assert.Equal(2.45f, server.Global[0], 1e-6f);
    }
    [Theory]
    [InlineData("", 0.1, 1)] // β = 0.9, η = 1 − β: first step 0.1·a, and the steps grow to η/(1 − β)·a = a
    [InlineData("algorithm.server_momentum=0.5", 0.5, 1)] // η follows β: 1 − 0.5
    [InlineData("algorithm.server_lr=1", 1, 10)] // set: η = 1, steps grow to a/(1 − 0.9) = 10a
    public void FedAvgMDefaultsToAnEffectiveServerStepOfOne(string setting, double firstStep, double lastStep)
    {
        string[] settings = setting.Length == 0 ? ["algorithm.name=fedavgm"] : ["algorithm.name=fedavgm", setting];
        var algorithm = AlgorithmFactory.Create(TestExperiments.Config(settings));
        var server = Apply(algorithm, [0.5f, 0f]);
        Assert.Equal(1 + 0.5 * firstStep, server.Global[0], 1e-6);
        float before = 0;
        for (int round = 0; round < 300; round++)
        {
            before = server.Global[0];
            algorithm.ApplyAggregate(server, new RoundAggregate(0, [0.5f, 0f], new Dictionary<string, float[]>(), new Dictionary<string, double>(), 1, 1));
        }
        Assert.Equal(0.5 * lastStep, server.Global[0] - before, 2e-3 * lastStep);
    }
}
