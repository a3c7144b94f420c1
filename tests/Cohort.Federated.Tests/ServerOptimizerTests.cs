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

    [Fact]
    public void FedAdamFirstStep()
    {
        // η = 0.01, β₁ = 0.9, β₂ = 0.99, τ = 0.001, aggregate (0.1, −0.2):
        // Δ = 0.1·aggregate = (0.01, −0.02); v = 0.99·10⁻⁶ + 0.01·Δ² = (1.99·10⁻⁶, 4.99·10⁻⁶);
        // x += 0.01·Δ/(√v + 0.001).
        var server = Apply(new FedOpt(FedOpt.Rule.Adam, 0.01f, 0.9f, 0.99f, 0.001f), [0.1f, -0.2f]);
        Assert.Equal(1 + 0.01 * 0.01 / (Math.Sqrt(1.99e-6) + 0.001), server.Global[0], 1e-6);
        Assert.Equal(2 - 0.01 * 0.02 / (Math.Sqrt(4.99e-6) + 0.001), server.Global[1], 1e-6);
    }

    [Fact]
    public void FedAdagradAccumulatesSquares()
    {
        // Step 1: Δ = 0.1·0.1 = 0.01, v = 10⁻⁶ + 10⁻⁴ = 1.01·10⁻⁴, x = 1 + 0.1·0.01/(0.01005 + 0.001).
        // Step 2 (aggregate 0): Δ = 0.009, v = 1.01·10⁻⁴ + 8.1·10⁻⁵ = 1.82·10⁻⁴.
        var server = Apply(new FedOpt(FedOpt.Rule.Adagrad, 0.1f, 0.9f, 0f, 0.001f), [0.1f, 0f], [0f, 0f]);
        double x1 = 1 + 0.1 * 0.01 / (Math.Sqrt(1.01e-4) + 0.001);
        Assert.Equal(x1 + 0.1 * 0.009 / (Math.Sqrt(1.82e-4) + 0.001), server.Global[0], 1e-6);
        Assert.Equal(1.82e-4, server.Vectors[FedOpt.SecondMoment][0], 1e-9);
        Assert.Equal(2f, server.Global[1]);
    }

    [Fact]
    public void FedYogiMovesVTowardTheSquareBySign()
    {
        // Step 1: Δ = 0.01, Δ² = 10⁻⁴ > v = 10⁻⁶, so v = 10⁻⁶ + 0.01·10⁻⁴ = 2·10⁻⁶.
        // Step 2 (aggregate 0): Δ = 0.009, Δ² = 8.1·10⁻⁵ > v, so v = 2·10⁻⁶ + 0.01·8.1·10⁻⁵ = 2.81·10⁻⁶.
        var server = Apply(new FedOpt(FedOpt.Rule.Yogi, 0.01f, 0.9f, 0.99f, 0.001f), [0.1f, 0f], [0f, 0f]);
        Assert.Equal(2.81e-6, server.Vectors[FedOpt.SecondMoment][0], 1e-11);
        double x1 = 1 + 0.01 * 0.01 / (Math.Sqrt(2e-6) + 0.001);
        Assert.Equal(x1 + 0.01 * 0.009 / (Math.Sqrt(2.81e-6) + 0.001), server.Global[0], 1e-6);
        // And v shrinks when it is above Δ²: with v₋₁ = τ² = 1, aggregate 0.09 gives Δ = 0.009 and v = 1 − 0.01·Δ².
        var big = new ServerState([0f], [], new Sgd(1f));
        var yogi = new FedOpt(FedOpt.Rule.Yogi, 0.01f, 0.9f, 0.99f, 1f);
        yogi.InitializeServer(big);
        yogi.ApplyAggregate(big, new RoundAggregate(0, [0.09f], new Dictionary<string, float[]>(), new Dictionary<string, double>(), 1, 1));
        Assert.Equal(1 - 0.01 * 0.009 * 0.009, big.Vectors[FedOpt.SecondMoment][0], 2e-7);
    }

    [Fact]
    public void FedAvgMIsHeavyBallOnTheMeanUpdate()
    {
        // v = 0.5, then v = 0.9·0.5 + 0.5 = 0.95; x = 1 + 0.5 + 0.95 with η = 1.
        var server = Apply(new FedAvgM(1f, 0.9f), [0.5f, 0f], [0.5f, 0f]);
        Assert.Equal(2.45f, server.Global[0], 1e-6f);
    }
}
