using Cohort.Federated.Aggregation;
using Cohort.Federated.Aggregation.Robust;

namespace Cohort.Federated.Tests.Robustness;

public class RobustAggregatorTests
{
    internal static float[] Aggregate(IAggregator aggregator, params float[][] updates)
    {
        aggregator.Begin(updates[0].Length);
        foreach (var u in updates)
        {
            aggregator.Add(u, 1);
        }
        var result = new float[updates[0].Length];
        aggregator.Complete(result);
        return result;
    }

    [Fact]
    public void MedianAndTrimmedMeanPerCoordinate()
    {
        float[][] odd = [[1, 10], [5, -2], [3, 4]];
        Assert.Equal([3f, 4f], Aggregate(new CoordinateMedian(), odd));
        float[][] even = [[1, 10], [5, -2], [3, 4], [100, 0]];
        Assert.Equal([4f, 2f], Aggregate(new CoordinateMedian(), even));
        // Drop the largest and smallest of each coordinate: (3 + 5) / 2 and (0 + 4) / 2.
        Assert.Equal([4f, 2f], Aggregate(new TrimmedMean(1), even));
        Assert.Equal([27.25f, 3f], Aggregate(new TrimmedMean(0), even));
    }

    [Fact]
    public void KrumPicksTheUpdateInTheCrowdAndMultiKrumAveragesTheBest()
    {
        // Four honest updates near (1, 1), one far away.
        float[][] updates = [[1, 1], [1.1f, 1], [0.9f, 1], [1, 1.2f], [50, -50]];
        var krum = Aggregate(new Krum(1), updates);
        Assert.InRange(krum[0], 0.9f, 1.1f);
        Assert.InRange(krum[1], 1f, 1.2f);
        // Scores with n − f − 2 = 2 neighbours: (1, 1) has the two nearest at 0.01 + 0.01.
        Assert.Equal([1f, 1f], krum);
        var multi = Aggregate(new Krum(1, 3), updates);
        Assert.True(multi[0] < 1.2f && multi[1] < 1.2f, "the outlier is never among the best three");
        var byDefault = Aggregate(new Krum(1, 0), updates);
        Assert.Equal(1f, byDefault[0], 1e-6);
        Assert.Equal(1.05f, byDefault[1], 1e-6);
    }

    [Fact]
    public void RulesSayWhenTheyHaveTooFewUpdates()
    {
        float[][] updates = [[1], [2], [3], [4]];
        var e = Assert.Throws<RobustAggregationException>(() => Aggregate(new Krum(1), updates));
        Assert.Contains("2f + 3", e.Message);
        Assert.Contains("4", e.Message);
        Assert.Throws<RobustAggregationException>(() => Aggregate(new Bulyan(1), updates));
        Assert.Throws<RobustAggregationException>(() => Aggregate(new TrimmedMean(2), updates));
    }

    [Fact]
    public void GeometricMedianIgnoresAFarOutlier()
    {
        float[][] updates = [[0, 0], [1, 0], [0, 1], [1, 1], [1000, 1000]];
        var gm = Aggregate(new GeometricMedian(iterations: 100), updates);
        var mean = Aggregate(new UniformMean(), updates);
        Assert.InRange(gm[0], 0.4f, 0.8f);
        Assert.InRange(gm[1], 0.4f, 0.8f);
        Assert.True(mean[0] > 200);
    }

    [Fact]
    public void CenteredClippingStepsFromThePreviousAggregate()
    {
        var cc = new CenteredClipping(tau: 1, iterations: 1);
        // From v = 0: clip((3, 4)) = (0.6, 0.8), clip((0, 0.5)) = (0, 0.5); v = mean = (0.3, 0.65).
        var first = Aggregate(cc, [3, 4], [0, 0.5f]);
        Assert.Equal(0.3f, first[0], 1e-6);
        Assert.Equal(0.65f, first[1], 1e-6);
        // The next round starts from (0.3, 0.65): (0.3, 0.65) + ((0.3, 0.35) + (−0.3, −0.35)) / 2.
        var second = Aggregate(cc, [0.6f, 1], [0, 0.3f]);
        Assert.Equal(0.3f, second[0], 1e-6);
        Assert.Equal(0.65f, second[1], 1e-6);
    }

    [Fact]
    public void BulyanKeepsTheHonestRange()
    {
        float[][] updates = [[1], [1.1f], [0.9f], [1.05f], [0.95f], [1.02f], [-100]];
        var b = Aggregate(new Bulyan(1), updates);
        Assert.InRange(b[0], 0.9f, 1.1f);
    }

    [Fact]
    public void ResultsDoNotDependOnArrivalOrder()
    {
        var random = new System.Random(5);
        var updates = Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, 50).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var reversed = updates.Reverse().ToArray();
        Func<BufferedAggregator>[] rules =
        [
            () => new GeometricMedian(), () => new Krum(2, 0), () => new Bulyan(1), () => new CenteredClipping(),
            () => new UniformMean { PreAggregation = [new NearestNeighborMixing(2), new Bucketing(2)] },
        ];
        foreach (var rule in rules)
        {
            Assert.Equal(Aggregate(rule(), updates), Aggregate(rule(), reversed));
        }
    }

    [Fact]
    public void PreAggregationSteps()
    {
        float[][] updates = [[0], [1], [10], [11]];
        var context = new AggregationContext(3, 7);
        // Nearest-neighbour mixing with f = 2: each point averaged with its nearest other.
        var mixed = new NearestNeighborMixing(2).Apply(updates, context);
        Assert.Equal([0.5f, 0.5f, 10.5f, 10.5f], mixed.Select(u => u[0]));
        // Buckets of two average pairs; all four values are still accounted for.
        var buckets = new Bucketing(2).Apply(updates, context);
        Assert.Equal(2, buckets.Count);
        Assert.Equal(11f, buckets.Sum(b => b[0]));
        Assert.Equal(buckets.Select(b => b[0]), new Bucketing(2).Apply(updates, context).Select(b => b[0]));
    }

    [Fact]
    public void ZenoKeepsTheUpdatesThatLowerTheServersLoss()
    {
        // Loss ‖x − (1, 1)‖² from x = 0: steps towards (1, 1) score high, steps away score low.
        var zeno = new Zeno(f: 2, rho: 0.01, gamma: 1) { Global = [0, 0], Loss = x => Math.Pow(x[0] - 1, 2) + Math.Pow(x[1] - 1, 2) };
        var result = Aggregate(zeno, [0.5f, 0.5f], [0.4f, 0.6f], [-3, -3], [0.6f, 0.4f], [5, -5]);
        Assert.Equal(0.5f, result[0], 1e-6);
        Assert.Equal(0.5f, result[1], 1e-6);
        Assert.Throws<InvalidOperationException>(() => Aggregate(new Zeno(1, 0, 1), [1f], [2f]));
    }

    [Fact]
    public void TheIssuesHandMadeRows()
    {
        float[][] rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
        Assert.Equal([4f, 5f, 6f], Aggregate(new CoordinateMedian(), rows));
        Assert.Equal([4f, 5f, 6f], Aggregate(new TrimmedMean(1), rows));

        // Seven rows, f = 2, one far away: neither Krum nor Multi-Krum selects it.
        float[][] seven = [[1, 1], [1.2f, 0.9f], [0.8f, 1.1f], [1.1f, 1.2f], [0.9f, 0.8f], [1, 1.3f], [1e4f, -1e4f]];
        Assert.True(Aggregate(new Krum(2), seven)[0] < 2);
        var multi = Aggregate(new Krum(2, 0), seven);
        Assert.InRange(multi[0], 0.8f, 1.2f);
        Assert.InRange(multi[1], 0.8f, 1.3f);
        foreach (int m in new[] { 1, 3, 5 })
        {
            var distances = VectorMath.Distances(seven);
            Assert.DoesNotContain(6, Krum.Select(seven, distances, 2, m));
        }
    }

    [Fact]
    public void FewerThanHalfArbitraryRowsCannotMoveTheMedianOutOfTheHonestRange()
    {
        var random = new System.Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            int honest = 4 + trial % 5, byzantine = honest - 1;
            var rows = new List<float[]>();
            for (int i = 0; i < honest; i++)
            {
                rows.Add([(float)random.NextDouble(), (float)random.NextDouble()]);
            }
            for (int i = 0; i < byzantine; i++)
            {
                rows.Add([(float)((random.NextDouble() - 0.5) * 1e6), i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity]);
            }
            var median = Aggregate(new CoordinateMedian(), [.. rows]);
            for (int j = 0; j < 2; j++)
            {
                Assert.InRange(median[j], rows.Take(honest).Min(r => r[j]), rows.Take(honest).Max(r => r[j]));
            }
        }
    }

    [Fact]
    public void InfiniteAndNanRowsDoNotEscapeTheMedianOrTheTrimmedMean()
    {
        float[][] rows = [[1, 1], [2, 2], [3, 3], [float.NaN, float.PositiveInfinity], [float.NegativeInfinity, float.NaN]];
        var median = Aggregate(new CoordinateMedian(), rows);
        Assert.All(median, v => Assert.InRange(v, 1f, 3f));
        var trimmed = Aggregate(new TrimmedMean(2), rows);
        Assert.All(trimmed, v => Assert.InRange(v, 1f, 3f));
    }
}
