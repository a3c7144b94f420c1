using Cohort.Data.Partitioning;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.Data.Tests;

/// <summary>
/// McMahan et al. (2017), section 3: "sort the data by digit label, divide it into 200 shards of size
/// 300, and assign each of 100 clients 2 shards".
/// </summary>
public class ShardPartitionerTests
{
    private static readonly Lazy<TrainTest> Mnist = new(() => ImageFolder.Load(SharedData.Mnist, "mnist"));

    [Fact]
    public void MnistIsCutInto200ShardsOf300SortedSamples()
    {
        var data = Mnist.Value.Train;
        var p = Partitioner.Apply(new ShardPartitioner(), Mnist.Value, 100, seed: 4);
        // Each sample's position in the label-sorted list, computed here independently of the partitioner.
        var position = new int[data.Count];
        int next = 0;
        foreach (int i in Enumerable.Range(0, data.Count).OrderBy(i => data.Labels[i]).ThenBy(i => i))
        {
            position[i] = next++;
        }
        var owners = new int[200];
        Array.Fill(owners, -1);
        for (int k = 0; k < 100; k++)
        {
            Assert.Equal(600, p.Train[k].Length);
            // The client's sorted positions are two whole blocks [300j, 300j + 300).
            var blocks = p.Train[k].Select(i => position[i]).GroupBy(pos => pos / 300).ToList();
            Assert.Equal(2, blocks.Count);
            Assert.All(blocks, b => Assert.Equal(300, b.Count()));
            foreach (var b in blocks)
            {
                Assert.Equal(-1, owners[b.Key]);
                owners[b.Key] = k;
            }
        }
        Assert.DoesNotContain(-1, owners);
    }

    [Fact]
    public void ShardsStraddleLabelBoundaries()
    {
        var data = Mnist.Value.Train;
        int zeros = data.Labels.Count(y => y == 0);
        Assert.NotEqual(0, zeros % 300);
        var p = Partitioner.Apply(new ShardPartitioner(), Mnist.Value, 100, seed: 4);
        // The shard that holds the last 0 also holds the first 1s: its owner has both labels, from one shard.
        int lastZero = Enumerable.Range(0, data.Count).Last(i => data.Labels[i] == 0);
        int owner = Array.FindIndex(p.Train, c => c.Contains(lastZero));
        var histogram = p.LabelHistograms(data)[owner];
        Assert.True(histogram[0] > 0 && histogram[1] > 0, $"client {owner}: {string.Join(",", histogram)}");
        Assert.Contains(p.LabelHistograms(data), h => h.Count(c => c > 0) > 2);
    }

    [Fact]
    public void UnevenDivisionCutsAtFloorBoundariesAndKeepsEverySample()
    {
        // 7 samples, labels 2,0,1,0,2,1,0: sorted (label, index) = 1,3,6 | 2,5 | 0,4.
        var tiny = new Dataset("tiny", new float[7], new Shape(1), [2, 0, 1, 0, 2, 1, 0], 3);
        // 3 clients × 1 shard: boundaries ⌊j·7/3⌋ = 0, 2, 4, 7 → {1,3}, {6,2}, {5,0,4}.
        var random = RandomStream.Create(9);
        var parts = new ShardPartitioner(1).Split(tiny, 3, ref random);
        int[][] expected = [[1, 3], [2, 6], [0, 4, 5]];
        Assert.Equal(expected.OrderBy(s => s[0]), parts.OrderBy(s => s[0]));
        Assert.Equal([0, 2, 4, 7], Enumerable.Range(0, 4).Select(j => ShardPartitioner.Boundary(j, 7, 3)));
    }

    [Fact]
    public void TheSameSeedGivesTheSameShards()
    {
        var first = Partitioner.Apply(new ShardPartitioner(3), Mnist.Value, 50, seed: 11);
        Assert.Equal(first.Train, Partitioner.Apply(new ShardPartitioner(3), Mnist.Value, 50, seed: 11).Train);
        Assert.NotEqual(first.Train, Partitioner.Apply(new ShardPartitioner(3), Mnist.Value, 50, seed: 12).Train);
        Assert.All(first.Train, c => Assert.Equal(1200, c.Length));
    }
}
