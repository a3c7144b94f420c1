using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Checkpoints;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Privacy;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.Federated.Tests.Stages;
using Cohort.NN.Optimizers;
using Cohort.Privacy;

namespace Cohort.Federated.Tests.Privacy;

/// <summary>DP-FedAvg's server hooks over fixed updates: the clipped sum over the expected cohort, the noise's spread, adaptive clipping's C, and its state through a checkpoint.</summary>
public sealed class CentralDpTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cohort-dp").FullName;

    private static CentralDpStage Stage(double z, double clip, double expectedCohort, AdaptiveClipping? adaptive = null) =>
        new(new PrivacyBudget(new Accountant(), 0.5, z, 1e-5, null), clip, expectedCohort, adaptive, new ClippingMeter());

    private static FederatedRound Round(IUpdateStage stage, ServerState server, float[][] updates) =>
        new(new FixedCohort(updates, [.. updates.Select(_ => 1)]), new FedAvg(), new WeightedMean(), new UpdatePipeline([stage]), server, 5, _ => 1, updates.Length);

    [Fact]
    public void ARoundIsTheClippedSumOverTheExpectedCohortNotTheDrawnOne()
    {
        var server = new ServerState([10, 20], [], new Sgd(1f));
        // z = 0: no noise, so the round is exact. C = 2: (3, 4) has norm 5 and becomes (1.2, 1.6); (0.6, 0.8) and (0, 0) stay.
        // The clipped sum (1.8, 2.4) over the expected cohort qN = 5 (three were drawn) is (0.36, 0.48), added to (10, 20).
        Round(Stage(0, 2, 5), server, [[3, 4], [0.6f, 0.8f], [0, 0]]).Run(1, [0, 1, 2], measureDrift: false);
        Assert.Equal(10.36f, server.Global[0], 1e-5);
        Assert.Equal(20.48f, server.Global[1], 1e-5);
    }

    [Fact]
    public void TheNoiseHasStandardDeviationZCOverTheExpectedCohort()
    {
        const int length = 200_000;
        var server = new ServerState(new float[length], [], new Sgd(1f));
        var zeros = new float[length];
        Round(Stage(1.5, 2, 5), server, [zeros, zeros, zeros]).Run(1, [0, 1, 2], measureDrift: false);
        double mean = server.Global.Average(v => (double)v);
        double std = Math.Sqrt(server.Global.Sum(v => (v - mean) * (v - mean)) / (length - 1));
        // z·C/(qN) = 1.5·2/5 = 0.6; the sample standard deviation's own error is 0.6/√(2n) ≈ 0.001.
        Assert.Equal(0.6, std, 0.006);
        Assert.Equal(0, mean, 0.007);
    }

    [Fact]
    public void AdaptiveClippingsCFollowsTheHandComputedSequence()
    {
        // Client norms: 0.5, 2, 3, 1, 4, 5, 6. γ = 0.5, η = 0.2, qN = 4, C₀ = 1, no noise.
        float[][] updates = [[0.5f, 0], [2, 0], [3, 0], [1, 0], [4, 0], [5, 0], [6, 0]];
        var stage = Stage(0, 1, 4, new AdaptiveClipping(0.5, 0.2, 0));
        var server = new ServerState([0, 0], [], new Sgd(1f));
        var round = Round(stage, server, updates);
        var clips = new List<double>();
        int r = 0;
        foreach (int[] cohort in new[] { new[] { 0, 1, 2 }, [0, 3, 2], [0, 4, 5, 6] })
        {
            round.Run(++r, cohort, measureDrift: false);
            var metrics = new RoundMetrics();
            stage.Report(metrics);
            clips.Add(metrics.Extra["clip"]);
        }
        // Round 1: 1 of 3 unclipped: b̄ = (1 − 1.5)/4 + 0.5 = 0.375, C₁ = exp(−0.2·(0.375 − 0.5)) = e^0.025.
        // Round 2: 0.5 and 1 ≤ C₁, 3 is not: b̄ = (2 − 1.5)/4 + 0.5 = 0.625, C₂ = C₁·e^−0.025 = 1.
        // Round 3: 1 of 4 unclipped: b̄ = (1 − 2)/4 + 0.5 = 0.25, C₃ = C₂·e^0.05.
        Assert.Equal(1.0, clips[0]);
        Assert.Equal(Math.Exp(0.025), clips[1], 1e-12);
        Assert.Equal(1.0, clips[2], 1e-12);
        Assert.Equal(Math.Exp(0.05), ClipOf(server), 1e-12);
    }

    [Fact]
    public void TheCountsNoiseIsCentredClampedAndSplitAsThePaperDerives()
    {
        var rule = new AdaptiveClipping(0.5, 0.2, 2);
        // 3 of 4 below C, noise 0.5·σ_b = 1: (3 − 2 + 1)/4 + 0.5 = 1, so C·exp(−0.2·0.5).
        Assert.Equal(Math.Exp(-0.1), rule.Next(1, 3, 4, 4, 0.5), 1e-12);
        // A larger draw is clamped to 1: the same step.
        Assert.Equal(Math.Exp(-0.1), rule.Next(1, 3, 4, 4, 5), 1e-12);
        // σ_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2): z = 1, σ_b = 2 gives (1 − 1/16)^(−1/2).
        Assert.Equal(1 / Math.Sqrt(15.0 / 16), rule.SumNoiseMultiplier(1), 1e-12);
        var e = Assert.Throws<Config.ConfigException>(() => new AdaptiveClipping(0.5, 0.2, 0.5).SumNoiseMultiplier(1));
        Assert.Contains("privacy.count_noise", e.Message);
        Assert.Contains("privacy.noise_multiplier", e.Message);
    }

    [Fact]
    public void ResumedFromACheckpointTheDpStateGoesOnBitForBit()
    {
        float[][] updates = [[0.5f, 0.1f], [2, -1], [3, 0.5f], [1, 1]];
        int[][] cohorts = [[0, 1], [1, 2, 3], [0, 3], [0, 1, 2, 3]];
        AdaptiveClipping Adaptive() => new(0.5, 0.2, 1);
        var whole = new ServerState([1, 2], [], new Sgd(1f));
        var wholeRound = Round(Stage(1, 1, 2, Adaptive()), whole, updates);
        for (int r = 1; r <= 4; r++)
        {
            wholeRound.Run(r, cohorts[r - 1], measureDrift: false);
        }

        var first = new ServerState([1, 2], [], new Sgd(1f));
        var firstRound = Round(Stage(1, 1, 2, Adaptive()), first, updates);
        for (int r = 1; r <= 2; r++)
        {
            firstRound.Run(r, cohorts[r - 1], measureDrift: false);
        }
        string path = Path.Combine(_folder, "server.bin");
        ServerCheckpoint.Write(path, first);
        var resumed = new ServerState([0, 0], [], new Sgd(1f));
        ServerCheckpoint.Read(path, resumed);
        var resumedRound = Round(Stage(1, 1, 2, Adaptive()), resumed, updates);
        for (int r = 3; r <= 4; r++)
        {
            resumedRound.Run(r, cohorts[r - 1], measureDrift: false);
        }
        Assert.Equal(whole.Global.Select(BitConverter.SingleToInt32Bits), resumed.Global.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(ClipOf(whole)), BitConverter.DoubleToInt64Bits(ClipOf(resumed)));
        Assert.NotEqual(1.0, ClipOf(resumed));
        Assert.Equal(4, StateOf(resumed).Scalar("dp.steps"));
    }

    private static StateRecord StateOf(ServerState server) => server.Records.Single(r => r.Declaration.Owner == "dp-central");

    private static double ClipOf(ServerState server) => StateOf(server).Scalar("dp.clip");

    public void Dispose() => Directory.Delete(_folder, true);
}
