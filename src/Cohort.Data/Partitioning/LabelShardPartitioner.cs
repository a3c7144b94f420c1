using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>
/// A stricter variant of <see cref="ShardPartitioner"/>: K·s shards that never straddle two labels
/// (each label gets a number of shards in proportion to its size, cut evenly within the label), each
/// client s random shards, so a client sees at most s labels. Shard sizes vary with the label sizes.
/// </summary>
public sealed class LabelShardPartitioner(int shardsPerClient = 2) : IPartitioner
{
    public string Kind => "label-shards";

    public int ShardsPerClient { get; } = ShardPartitioner.CheckShardsPerClient(shardsPerClient);

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        int shards = ShardPartitioner.CheckShardCount(train, clients, ShardsPerClient, "Label-shard partition");
        var byLabel = Partitioner.GroupByLabel(train, train.Classes);
        var labelSizes = byLabel.Select(l => (long)l.Length).ToArray();
        int[] shardsPerLabel = Partitioner.Apportion(shards, labelSizes);
        var cuts = new List<ArraySegment<int>>();
        for (int y = 0; y < byLabel.Length; y++)
        {
            int count = shardsPerLabel[y];
            for (int s = 0; s < count; s++)
            {
                int begin = ShardPartitioner.Boundary(s, byLabel[y].Length, count), end = ShardPartitioner.Boundary(s + 1, byLabel[y].Length, count);
                cuts.Add(new ArraySegment<int>(byLabel[y], begin, end - begin));
            }
        }
        var parts = ShardPartitioner.Deal(cuts, clients, ShardsPerClient, ref random);
        var unassigned = Enumerable.Range(0, byLabel.Length).Where(y => shardsPerLabel[y] == 0 && byLabel[y].Length > 0).ToList();
        if (unassigned.Count > 0)
        {
            throw new ArgumentException($"Label-shard partition: labels {string.Join(", ", unassigned)} are too rare to fill one of {shards} shards; use fewer clients or shards.");
        }
        return parts;
    }
}
