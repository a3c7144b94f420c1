using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.Tests.Quadratics;

namespace Cohort.Federated.Tests.Asynchronous;

public class StalenessTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 0.70710678118654752)]
    [InlineData(3, 0.5)]
    [InlineData(8, 1.0 / 3)]
    [InlineData(99, 0.1)]
    public void StalenessWeightIsFedBuffsPolynomial(int staleness, double expected) =>
        Assert.Equal(expected, Asynchrony.Weight(staleness), 15);

    [Fact]
    public void MaxStalenessBoundsWhatIsTaken()
    {
        var bounded = new Asynchrony(1, 1, 2, 0);
        Assert.True(bounded.Takes(0));
        Assert.True(bounded.Takes(2));
        Assert.False(bounded.Takes(3));
        Assert.True(new Asynchrony(1, 1, null, 0).Takes(1000));
    }

    [Fact]
    public void StaleAggregateIsTheSumOverTheBufferNotTheMean()
    {
        // Two updates of weight 1, fresh and 3 steps stale: Σ s·w·Δ / Σ w = (1·4 + ½·8) / 2 = 4.
        var tally = new Asynchrony(2, 2, null, 0).Begin(2);
        double fresh = 1, stale = 1;
        Assert.True(tally.Take(0, 0, ref fresh));
        Assert.True(tally.Take(1, 3, ref stale));
        Assert.Equal(0.5, stale);
        float[] mean = [(float)((fresh * 4 + stale * 8) / (fresh + stale))];
        tally.Scale(mean);
        Assert.Equal(4f, mean[0], 6);
    }

    /// <summary>
    /// Two 1-D clients f_k(x) = ½(x − c_k)², c = (2, −4), one SGD step of rate ½ (Δ = ½(c_k − x)), K = 1, two
    /// clients training at once; client 0 takes 1 time unit, client 1 takes 3. Rounds 1–3 take client 0's
    /// fresh updates from 0, 1 and 1.5; round 4 takes client 1's update from x = 0, 3 steps stale:
    /// ½·Δ = ½·(½·(−4 − 0)) = −1, so x goes 0 → 1 → 1.5 → 1.75 → 0.75.
    /// </summary>
    [Fact]
    public void TwoClientsOneStaleByHand()
    {
        var seen = new SeenVersions();
        using var federation = TwoClients(maxStaleness: null, seen);
        double[] expected = [1, 1.5, 1.75, 0.75];
        for (int round = 1; round <= 4; round++)
        {
            var outcome = federation.RunAsynchronous(round);
            Assert.Equal(1, outcome.Reported);
            Assert.Equal(expected[round - 1], federation.X[0], 6);
        }
        Assert.Equal([(1, 0, 1, 0), (2, 0, 2, 0), (3, 0, 3, 0), (4, 1, 1, 3)], seen.Updates);
    }

    /// <summary>The same clients with max_staleness 2: client 1's update is dropped, and round 4 takes client 0's fresh one from 1.75: x = 1.75 + ½·(2 − 1.75) = 1.875.</summary>
    [Fact]
    public void TooStaleUpdateIsDroppedByHand()
    {
        var seen = new SeenVersions();
        using var federation = TwoClients(maxStaleness: 2, seen);
        for (int round = 1; round <= 4; round++)
        {
            federation.RunAsynchronous(round);
        }
        Assert.Equal(1.875, federation.X[0], 6);
        Assert.Equal((4, 0, 4, 0), seen.Updates[^1]);
    }

    private static QuadraticFederation TwoClients(int? maxStaleness, SeenVersions seen)
    {
        var clients = new[] { Point(2), Point(-4) };
        var work = new LocalWork(null, 1, 1, 0.5f, "sgd", 0, 0);
        var asynchrony = new Asynchrony(1, 2, maxStaleness, 0);
        return new QuadraticFederation(new FedBuff(1, asynchrony), clients, work, asynchrony: asynchrony,
            durations: (client, _) => client == 0 ? 1 : 3, pipeline: new UpdatePipeline([seen]));
    }

    private static Quadratic Point(double c) => new(new double[,] { { 1 } }, [c]);

    /// <summary>Records what the per-update server hook is told: (round, client, version, staleness).</summary>
    private sealed class SeenVersions : IUpdateStage
    {
        public List<(int, int, int, int)> Updates { get; } = [];

        public string Name => "seen";

        public bool OnReceived(StageContext context, Span<float> update)
        {
            lock (Updates)
            {
                Updates.Add((context.Round, context.Client, context.Version, context.Staleness));
            }
            return true;
        }
    }
}
