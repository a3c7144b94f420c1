using Cohort.Data.Partitioning;
using Cohort.Tensors;

namespace Cohort.Data.Tests;

public class PartitionerTests
{
    private static readonly Lazy<TrainTest> Mnist = new(() => ImageFolder.Load(SharedData.Mnist, "mnist"));

    [Theory]
    [InlineData("iid")]
    [InlineData("shards")]
    [InlineData("label-shards")]
    [InlineData("dirichlet")]
    [InlineData("quantity")]
    public void EverySampleGoesToExactlyOneClient(string kind)
    {
        var data = Mnist.Value;
        IPartitioner partitioner = kind switch
        {
            "iid" => new IidPartitioner(),
            "shards" => new ShardPartitioner(),
            "label-shards" => new LabelShardPartitioner(),
            "dirichlet" => new DirichletPartitioner(0.5),
            _ => new QuantityPartitioner("lognormal", 1.0),
        };
        var p = Partitioner.Apply(partitioner, data, 100, seed: 1);
        AssertExactCover(p.Train, data.Train.Count);
        AssertExactCover(p.Test, data.Test.Count);
        Assert.Equal(p.Train, Partitioner.Apply(partitioner, data, 100, seed: 1).Train);
        Assert.NotEqual(p.Train, Partitioner.Apply(partitioner, data, 100, seed: 2).Train);
    }

    [Fact]
    public void IidGivesEachOf100Clients600Samples()
    {
        var p = Partitioner.Apply(new IidPartitioner(), Mnist.Value, 100, 3);
        Assert.All(p.Train, c => Assert.Equal(600, c.Length));
        Assert.All(p.Test, c => Assert.InRange(c.Length, 80, 120));
    }

    [Fact]
    public void LabelShardsGiveAtMostTwoLabelsPerClient()
    {
        var data = Mnist.Value;
        var p = Partitioner.Apply(new LabelShardPartitioner(), data, 100, 4);
        var histograms = p.LabelHistograms(data.Train);
        Assert.All(histograms, h => Assert.InRange(h.Count(c => c > 0), 1, 2));
        Assert.All(p.Train, c => Assert.InRange(c.Length, 560, 640));
        // Test splits follow the training labels.
        for (int k = 0; k < p.Clients; k++)
        {
            var trainLabels = p.Train[k].Select(i => data.Train.Labels[i]).ToHashSet();
            Assert.All(p.Test[k], i => Assert.Contains(data.Test.Labels[i], trainLabels));
        }
    }

    [Fact]
    public void DirichletConcentrationControlsLabelSkew()
    {
        var data = Mnist.Value;
        double Skew(double alpha)
        {
            var h = Partitioner.Apply(new DirichletPartitioner(alpha), data, 20, 5).LabelHistograms(data.Train);
            // Mean share of a client's most frequent label.
            return h.Average(c => (double)c.Max() / Math.Max(1, c.Sum()));
        }
        double small = Skew(0.1), medium = Skew(1.0), large = Skew(100);
        Assert.True(small > medium && medium > large, $"{small} {medium} {large}");
        Assert.True(large < 0.16, $"α=100 should be close to IID (max share ≈ 0.1); got {large}");
        Assert.True(small > 0.5, $"α=0.1 should concentrate labels; got {small}");
    }

    [Fact]
    public void QuantitySkewVariesSizesButNotLabels()
    {
        var data = Mnist.Value;
        var p = Partitioner.Apply(new QuantityPartitioner("lognormal", 1.5), data, 50, 6);
        var sizes = p.Train.Select(c => c.Length).ToArray();
        Assert.True(sizes.Max() > 5 * sizes.Min());
        Assert.All(sizes, s => Assert.True(s >= 1));
    }

    [Fact]
    public void NaturalUsesTheClientIds()
    {
        var data = SyntheticData.Generate(1, 1, clients: 7, seed: 3);
        var p = Partitioner.Apply(new NaturalPartitioner(), data, 7, 1);
        for (int k = 0; k < 7; k++)
        {
            Assert.All(p.Train[k], i => Assert.Equal(k, data.Train.ClientIds![i]));
            Assert.All(p.Test[k], i => Assert.Equal(k, data.Test.ClientIds![i]));
        }
        var e = Assert.Throws<ArgumentException>(() => Partitioner.Apply(new NaturalPartitioner(), data, 8, 1));
        Assert.Contains("7 natural clients", e.Message);
    }

    [Fact]
    public void ApportionIsExactAndProportional()
    {
        Assert.Equal([3, 3, 4], Partitioner.Apportion(10, [1, 1, 1]).OrderBy(x => x).ToArray());
        Assert.Equal([10, 0], Partitioner.Apportion(10, [5, 0]));
        Assert.Equal(1000, Partitioner.Apportion(1000, [3, 7, 11, 13]).Sum());
    }

    [Fact]
    public void BadParametersAreNamed()
    {
        Assert.Contains("partition.alpha", Assert.Throws<ArgumentException>(() => new DirichletPartitioner(0)).Message);
        var tiny = new Dataset("tiny", new float[3], new Shape(1), [0, 1, 0], 2);
        Assert.Contains("need at least", Assert.Throws<ArgumentException>(() => new ShardPartitioner().Split(tiny, 5, ref Unsafe.Random)).Message);
        Assert.Contains("need at least", Assert.Throws<ArgumentException>(() => new LabelShardPartitioner().Split(tiny, 5, ref Unsafe.Random)).Message);
    }

    private static void AssertExactCover(int[][] parts, int count)
    {
        var seen = new bool[count];
        foreach (var part in parts)
        {
            foreach (int i in part)
            {
                Assert.False(seen[i], $"sample {i} is in two clients");
                seen[i] = true;
            }
        }
        Assert.All(seen, Assert.True);
    }

    private static class Unsafe
    {
        public static Tensors.Random.RandomStream Random = Tensors.Random.RandomStream.Create(1);
    }
}
