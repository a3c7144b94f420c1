using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>
/// McMahan et al. (2017)'s pathological non-IID split: sort the training samples by label (ties by
/// index), cut the sorted list into K·s equal shards (200 shards of 300 for MNIST's 60,000 and 100
/// clients) and give each client s random shards (s = 2 by default). Shards may straddle two labels,
/// as in the paper. When K·s does not divide n, shard j holds sorted positions ⌊j·n/(K·s)⌋ up to
/// ⌊(j+1)·n/(K·s)⌋, so sizes differ by at most one and no sample is dropped.
/// </summary>
public sealed class ShardPartitioner(int shardsPerClient = 2) : IPartitioner
{
    public string Kind => "shards";

    public int ShardsPerClient { get; } = CheckShardsPerClient(shardsPerClient);

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        int shards = CheckShardCount(train, clients, ShardsPerClient, "Shard partition"), n = train.Count;
        // Grouping by label keeps each label's indices in ascending order: a stable sort by label.
        int[] sorted = [.. Partitioner.GroupByLabel(train, train.Classes).SelectMany(l => l)];
        var cuts = Enumerable.Range(0, shards).Select(j => new ArraySegment<int>(sorted, Boundary(j, n, shards), Boundary(j + 1, n, shards) - Boundary(j, n, shards))).ToList();
        return Deal(cuts, clients, ShardsPerClient, ref random);
    }

    /// <summary>The first sorted position of shard <paramref name="shard"/>.</summary>
    public static int Boundary(int shard, int samples, int shards) => (int)((long)shard * samples / shards);

    /// <summary>Shuffles the shards and gives client k the shards at shuffled positions k·s … k·s + s − 1.</summary>
    internal static int[][] Deal(IReadOnlyList<ArraySegment<int>> shards, int clients, int perClient, ref RandomStream random)
    {
        var order = Enumerable.Range(0, shards.Count).ToArray();
        random.Shuffle(order.AsSpan());
        var parts = new int[clients][];
        for (int k = 0; k < clients; k++)
        {
            parts[k] = [.. Enumerable.Range(0, perClient).SelectMany(s => shards[order[k * perClient + s]]).Order()];
        }
        return parts;
    }

    internal static int CheckShardsPerClient(int shardsPerClient) => shardsPerClient >= 1
        ? shardsPerClient
        : throw new ArgumentException($"partition.shards_per_client must be at least 1; got {shardsPerClient}.");

    /// <summary>K·s, which must not exceed the number of samples.</summary>
    internal static int CheckShardCount(Dataset train, int clients, int perClient, string what)
    {
        int shards = clients * perClient;
        return shards <= train.Count
            ? shards
            : throw new ArgumentException($"{what}: {clients} clients × {perClient} shards need at least {shards} samples; the data has {train.Count}.");
    }
}
