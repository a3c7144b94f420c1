using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>
/// Holds out a fraction of each client's training samples as its validation split: drawn from the client's
/// own random stream (seed and client id only, so the same whatever the thread count), removed from its
/// training indices, and leaving the test split as it was.
/// </summary>
public static class ValidationSplit
{
    /// <summary>
    /// <paramref name="partition"/> with round(<paramref name="fraction"/> · nₖ) of client k's nₖ training
    /// samples moved to its validation split, at least one training sample kept; the partition itself where the fraction is 0.
    /// </summary>
    public static Partition Apply(Partition partition, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (fraction is < 0 or >= 1 || double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "partition.validation must be in [0, 1).");
        }
        if (fraction == 0)
        {
            return partition;
        }
        var train = new int[partition.Clients][];
        var validation = new int[partition.Clients][];
        for (int k = 0; k < partition.Clients; k++)
        {
            var order = (int[])partition.Train[k].Clone();
            var random = RandomStream.Create(seed, RandomStream.Purpose("validation"), k);
            random.Shuffle(order.AsSpan());
            int held = Math.Min((int)Math.Round(order.Length * fraction), Math.Max(0, order.Length - 1));
            var heldOut = order[..held].ToHashSet();
            validation[k] = [.. order[..held].Order()];
            // The kept samples stay in the partitioner's order.
            train[k] = [.. partition.Train[k].Where(i => !heldOut.Contains(i))];
        }
        return new Partition(train, partition.Test) { Validation = validation };
    }
}
