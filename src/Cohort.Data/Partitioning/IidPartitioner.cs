using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>Shuffles and deals the samples out in equal parts (the first n mod K clients get one more).</summary>
public sealed class IidPartitioner : IPartitioner
{
    public string Kind => "iid";

    public int[][] Split(Dataset train, int clients, ref RandomStream random)
    {
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order.AsSpan());
        var parts = new int[clients][];
        int start = 0;
        for (int k = 0; k < clients; k++)
        {
            int size = train.Count / clients + (k < train.Count % clients ? 1 : 0);
            parts[k] = order.AsSpan(start, size).ToArray();
            Array.Sort(parts[k]);
            start += size;
        }
        return parts;
    }
}
