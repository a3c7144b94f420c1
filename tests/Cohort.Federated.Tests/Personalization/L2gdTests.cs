using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Tests.Quadratics;
using static Cohort.Federated.Tests.Quadratics.Reference;

namespace Cohort.Federated.Tests.Personalization;

/// <summary>L2GD against Hanzely and Richtárik's Algorithm 1: its rounds by hand, its mixing step, the mean of its random step, and its coins.</summary>
public class L2gdTests
{
    private const double Lr = 0.1;
    private static readonly Quadratic[] Clients = [Quadratic.Random(4, 3, 1, 0), Quadratic.Random(6, 3, 2, 1), Quadratic.Random(5, 3, 3, -1)];
    private static readonly double[] Start = [0.5, -0.3, 0.2];
    private static readonly double[] Uniform = [1, 1, 1];

    private static LocalWork Work() => new(null, 1, 1000, (float)Lr, "sgd", 0, 0);

    [Fact]
    public void RoundsFollowTheCoinsOfLocalAndMixingSteps()
    {
        const double p = 0.3, lambda = 1.5;
        const ulong seed = 5;
        var l2gd = new L2gd((float)p, (float)lambda, (float)Lr, seed);
        using var fed = new QuadraticFederation(l2gd, Clients, Work(), Start);
        var average = Start;
        double[][]? x = null;
        int localSteps = 0, mixes = 0;
        double mix = Lr * lambda / p;
        for (int round = 1; round <= 5; round++)
        {
            fed.Run(round);
            var coins = L2gd.Coins(seed, round, p);
            var anchor = average;
            x = x is null ? [.. Clients.Select(_ => Start)] : [.. x.Select(xi => Enumerable.Range(0, coins.Mixes).Aggregate(xi, (y, _) => Add(y, Add(anchor, y, -1), mix)))];
            x = [.. x.Select((xi, i) => Descend(Clients[i], xi, coins.LocalSteps, Lr / (1 - p)))];
            average = Mean(x, Uniform);
            (localSteps, mixes) = (localSteps + coins.LocalSteps, mixes + coins.Mixes);
        }
        Assert.True(localSteps > 0 && mixes > 0, $"{localSteps} local steps, {mixes} mixes");
        Close(average, fed.Server.Global);
        for (int i = 0; i < Clients.Length; i++)
        {
            var personal = new float[3];
            l2gd.PersonalModel.Compose(fed.States, i, fed.Server.Global, personal);
            Close(Add(x![i], Add(average, x[i], -1), mix), personal);
        }
    }

    [Fact]
    public void AMixWithStepTimesPenaltyEqualToPSetsEveryModelToTheAverageExactly()
    {
        const float p = 0.25f;
        var l2gd = new L2gd(p, 2.5f, (float)Lr, 11);
        using var fed = new QuadraticFederation(l2gd, Clients, Work(), Start);
        for (int round = 1; round <= 3; round++)
        {
            fed.Run(round);
        }
        for (int i = 0; i < Clients.Length; i++)
        {
            var personal = new float[3];
            l2gd.PersonalModel.Compose(fed.States, i, fed.Server.Global, personal);
            Assert.Equal(fed.Server.Global, personal);
        }
        float[] model = [0.3f, -1.7f, 2.9f], average = [1.1f, 0.2f, -0.4f];
        L2gd.MixStep(model, average, (float)(Lr * 2.5 / p));
        Assert.Equal(average, model);
    }

    [Fact]
    public void TheExpectedStepIsTheGradientOfTheLossPlusTheMixturePenalty()
    {
        // E[G] = (1 − p)·G_local + p·G_mix = ∇fᵢ(xᵢ) + λ(xᵢ − x̄), the gradient of the paper's F in xᵢ (per client).
        const float p = 0.3f, lambda = 0.7f, lr = 0.05f;
        double[][] models = [[0.4, -0.2, 1.0], [-0.6, 0.5, 0.3], [0.2, 0.9, -0.8]];
        var average = Mean(models, Uniform);
        for (int i = 0; i < Clients.Length; i++)
        {
            var x = models[i].Select(v => (float)v).ToArray();
            var gradient = Clients[i].Gradient(models[i]);
            var local = (float[])x.Clone();
            L2gd.LocalStep(local, [.. gradient.Select(v => (float)v)], lr, p);
            var mixed = (float[])x.Clone();
            L2gd.MixStep(mixed, [.. average.Select(v => (float)v)], lr * lambda / p);
            var expected = Add(gradient, Add(models[i], average, -1), lambda);
            var mean = Enumerable.Range(0, 3).Select(j => ((1 - p) * (x[j] - local[j]) + p * (x[j] - mixed[j])) / (double)lr).ToArray();
            Close(expected, [.. mean.Select(v => (float)v)], 1e-4);
        }
    }

    [Fact]
    public void CoinsAreGeometricRunsOfLocalStepsAndMixes()
    {
        const double p = 0.25;
        const int rounds = 40000;
        double steps = 0, mixes = 0;
        for (int round = 1; round <= rounds; round++)
        {
            var coins = L2gd.Coins(3, round, p);
            steps += coins.LocalSteps;
            mixes += coins.Mixes;
        }
        // Tails until a head: (1 − p)/p on average; a run of heads: 1/(1 − p).
        Assert.Equal((1 - p) / p, steps / rounds, 0.05);
        Assert.Equal(1 / (1 - p), mixes / rounds, 0.02);
        Assert.Equal((0, L2gd.Coins(3, 0, p).LocalSteps), L2gd.Coins(3, 0, p));
    }

    [Fact]
    public void AMixPastTheAverageIsAnErrorNamingTheKeys()
    {
        var config = TestExperiments.Config("algorithm.name=l2gd", "algorithm.p=0.1", "algorithm.lambda=5", "client.lr=0.05");
        var e = Assert.Throws<ConfigException>(() => L2gd.Create(config));
        Assert.Contains("algorithm.lambda", e.Message);
        Assert.Contains("algorithm.p", e.Message);
    }
}
