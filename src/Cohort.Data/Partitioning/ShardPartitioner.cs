using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>
/// McMahan et al. (2017)'s pathological non-IID split: sort by label, cut into K·s shards, give each
/// client s random shards (s = 2 by default). Shards never straddle two labels (each label gets a
/// number of shards in proportion to its size), so a client sees at most s labels.
/// </summary>
public sealed class ShardPartitioner(int shardsPerClient = 2) : IPartitioner
{
    public string Kind => "shards";

    public int ShardsPerClient { get; } = shardsPerClient >= 1
        ? shardsPerClient
        : throw new ArgumentException($"partition.shards_per_client must be at least 1; got {shardsPerClient}.");

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        int shards = clients * ShardsPerClient;
        if (shards > train.Count)
        {
            throw new ArgumentException($"Shard partition: {clients} clients × {ShardsPerClient} shards need at least {shards} samples; the data has {train.Count}.");
        }
        var byLabel = Partitioner.GroupByLabel(train, train.Classes);
        var labelSizes = byLabel.Select(l => (long)l.Length).ToArray();
        int[] shardsPerLabel = Partitioner.Apportion(shards, labelSizes);

        var shardRanges = new List<(int Label, int Begin, int End)>();
        for (int y = 0; y < byLabel.Length; y++)
        {
            int count = shardsPerLabel[y];
            for (int s = 0; s < count; s++)
            {
                shardRanges.Add((y, (int)((long)s * byLabel[y].Length / count), (int)((long)(s + 1) * byLabel[y].Length / count)));
            }
        }
        var shardOrder = Enumerable.Range(0, shards).ToArray();
        random.Shuffle(shardOrder.AsSpan());
        var parts = new int[clients][];
        for (int k = 0; k < clients; k++)
        {
            var mine = new List<int>();
            for (int s = 0; s < ShardsPerClient; s++)
            {
                var (label, begin, end) = shardRanges[shardOrder[k * ShardsPerClient + s]];
                mine.AddRange(byLabel[label][begin..end]);
            }
            parts[k] = [.. mine.Order()];
        }
        var unassigned = Enumerable.Range(0, byLabel.Length).Where(y => shardsPerLabel[y] == 0 && byLabel[y].Length > 0).ToList();
        if (unassigned.Count > 0)
        {
            throw new ArgumentException($"Shard partition: labels {string.Join(", ", unassigned)} are too rare to fill one of {shards} shards; use fewer clients or shards.");
        }
        return parts;
    }
}
