using Cohort.Federated.Aggregation;
using Cohort.Federated.Aggregation.Robust;

namespace Cohort.Federated.Tests.Robustness;

/// <summary>A robust aggregator saved mid-round and restored into a new one finishes on the uninterrupted aggregate, bit for bit.</summary>
public class AggregatorCheckpointTests
{
    private const int Length = 40;

    public static TheoryData<string[]> Families => new()
    {
        { ["aggregator.name=median"] },
        { ["aggregator.name=trimmed-mean", "aggregator.f=2"] },
        { ["aggregator.name=krum", "aggregator.f=2"] },
        { ["aggregator.name=multi-krum", "aggregator.f=2", "aggregator.m=4"] },
        { ["aggregator.name=geometric-median", "aggregator.iterations=5"] },
        { ["aggregator.name=centered-clipping", "aggregator.tau=0.5"] },
        { ["aggregator.name=bulyan", "aggregator.f=2"] },
        { ["aggregator.name=zeno", "aggregator.f=2"] },
        { ["aggregator.name=mean", "aggregator.bucketing=2", "aggregator.clip=1", "aggregator.nnm=true", "aggregator.f=1"] },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void RestoredMidRoundFinishesOnTheUninterruptedAggregate(string[] keys)
    {
        var updates = Updates(11);
        var weights = updates.Select((_, i) => (double)(10 + 3 * i)).ToArray();
        var config = TestExperiments.Config(keys);
        float[] center = [];

        var uninterrupted = Create(config);
        Prepare(uninterrupted, ref center);
        uninterrupted.Begin(Length);
        for (int i = 0; i < updates.Length; i++)
        {
            uninterrupted.Add(updates[i], weights[i]);
        }
        var expected = new float[Length];
        double expectedWeight = uninterrupted.Complete(expected);

        float[] restoredCenter = [];
        var first = Create(config);
        Prepare(first, ref restoredCenter);
        first.Begin(Length);
        // Arrivals in another order, cut after six.
        int[] order = [7, 2, 9, 0, 4, 10, 1, 3, 5, 6, 8];
        foreach (int i in order[..6])
        {
            first.Add(updates[i], weights[i]);
        }
        using var saved = new MemoryStream();
        first.Save(saved);

        var second = Create(config);
        Prepare(second, ref restoredCenter);
        second.Begin(Length);
        saved.Position = 0;
        second.Restore(saved);
        foreach (int i in order[6..])
        {
            second.Add(updates[i], weights[i]);
        }
        var actual = new float[Length];
        double actualWeight = second.Complete(actual);

        Assert.Equal(expectedWeight, actualWeight);
        Assert.Equal(Bits(expected), Bits(actual));
    }

    [Fact]
    public void CenteredClippingsCenterIsTheVectorTheRoundLoopKeeps()
    {
        var first = new CenteredClipping(0.5, 2);
        var kept = new float[Length];
        first.Center = kept;
        first.Begin(Length);
        foreach (var u in Updates(5))
        {
            first.Add(u, 1);
        }
        var aggregate = new float[Length];
        first.Complete(aggregate);
        // The next round starts from the aggregate, held in the vector the server state keeps (and checkpoints).
        Assert.Equal(Bits(aggregate), Bits(kept));
    }

    [Fact]
    public void SavedUpdatesOfAnotherRuleOrModelAreRefused()
    {
        var krum = new Krum(1);
        krum.Begin(Length);
        krum.Add(Updates(1)[0], 1);
        using var saved = new MemoryStream();
        krum.Save(saved);

        var median = new CoordinateMedian();
        median.Begin(Length);
        saved.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => median.Restore(saved));
        Assert.Contains("krum", e.Message);
        Assert.Contains("median", e.Message);

        var smaller = new Krum(1);
        smaller.Begin(Length - 1);
        saved.Position = 0;
        Assert.Contains($"{Length - 1}", Assert.Throws<InvalidDataException>(() => smaller.Restore(saved)).Message);

        var cut = new Krum(1);
        cut.Begin(Length);
        Assert.Throws<InvalidDataException>(() => cut.Restore(new MemoryStream(saved.ToArray()[..^8])));
    }

    private static ICheckpointedAggregator Create(Config.ExperimentConfig config) =>
        Assert.IsAssignableFrom<ICheckpointedAggregator>(AggregatorFactory.Create(config, 20, 11));

    /// <summary>What the round loop gives a rule before aggregating: Zeno its batch loss, centered clipping its center.</summary>
    private static void Prepare(ICheckpointedAggregator aggregator, ref float[] center)
    {
        if (aggregator is BufferedAggregator buffered)
        {
            buffered.Round = 3;
            buffered.Seed = 17;
        }
        if (aggregator is Zeno zeno)
        {
            zeno.Global = new float[Length];
            zeno.Loss = x => x.Select((v, j) => Math.Pow(v - 0.1 * (j % 3), 2)).Sum();
        }
        if (aggregator is CenteredClipping centered)
        {
            if (center.Length == 0)
            {
                center = Enumerable.Range(0, Length).Select(j => 0.01f * j).ToArray();
            }
            centered.Center = (float[])center.Clone();
        }
    }

    private static float[][] Updates(int count)
    {
        var random = new Random(8);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray()).ToArray();
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
