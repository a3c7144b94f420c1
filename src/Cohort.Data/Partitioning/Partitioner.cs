using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>Partitions a train/test pair: the partitioner splits the training set, and each client's test split follows its label distribution.</summary>
public static class Partitioner
{
    public static Partition Apply(IPartitioner partitioner, TrainTest data, int clients, ulong seed)
    {
        if (clients < 1)
        {
            throw new ArgumentException($"partition.clients must be at least 1; got {clients}.");
        }
        var random = RandomStream.Create(seed, RandomStream.Purpose("partition"));
        int[][] train = partitioner.Split(data.Train, clients, ref random);
        var testRandom = RandomStream.Create(seed, RandomStream.Purpose("partition-test"));
        int[][] test = partitioner is NaturalPartitioner && data.Test.ClientIds is not null
            ? NaturalPartitioner.ByClient(data.Test, train.Length)
            : TestByLabel(data.Train, train, data.Test, ref testRandom);
        return new Partition(train, test);
    }

    /// <summary>
    /// Distributes the test set so that each client's test labels follow its training labels: the test
    /// samples of each label are shared out in proportion to the clients' training counts of that label
    /// (largest remainders), so every test sample goes to exactly one client.
    /// </summary>
    public static int[][] TestByLabel(Dataset train, int[][] trainParts, Dataset test, ref RandomStream random)
    {
        int clients = trainParts.Length, classes = Math.Max(train.Classes, test.Classes);
        var counts = new long[classes, clients];
        for (int k = 0; k < clients; k++)
        {
            foreach (int i in trainParts[k])
            {
                counts[train.Labels[i], k]++;
            }
        }
        var byLabel = GroupByLabel(test, classes);
        var parts = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
        var share = new long[clients];
        for (int y = 0; y < classes; y++)
        {
            var indices = byLabel[y];
            random.Shuffle(indices.AsSpan());
            for (int k = 0; k < clients; k++)
            {
                share[k] = counts[y, k];
            }
            // Labels no client trains on are shared evenly.
            if (share.All(s => s == 0))
            {
                Array.Fill(share, 1);
            }
            int[] quota = Apportion(indices.Length, share);
            int next = 0;
            for (int k = 0; k < clients; k++)
            {
                for (int q = 0; q < quota[k]; q++)
                {
                    parts[k].Add(indices[next++]);
                }
            }
        }
        return parts.Select(p => p.Order().ToArray()).ToArray();
    }

    /// <summary>Splits <paramref name="total"/> into integer parts proportional to the weights (largest remainder; ties to the lower index).</summary>
    public static int[] Apportion(int total, ReadOnlySpan<long> weights)
    {
        long sum = 0;
        foreach (long w in weights)
        {
            sum += w;
        }
        var quota = new int[weights.Length];
        if (sum == 0)
        {
            return quota;
        }
        var remainders = new (double Remainder, int Index)[weights.Length];
        int assigned = 0;
        for (int k = 0; k < weights.Length; k++)
        {
            double exact = (double)total * weights[k] / sum;
            quota[k] = (int)Math.Floor(exact);
            assigned += quota[k];
            remainders[k] = (exact - quota[k], k);
        }
        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(total - assigned))
        {
            quota[index]++;
        }
        return quota;
    }

    internal static int[][] GroupByLabel(Dataset data, int classes)
    {
        var lists = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            lists[data.Labels[i]].Add(i);
        }
        return lists.Select(l => l.ToArray()).ToArray();
    }
}
