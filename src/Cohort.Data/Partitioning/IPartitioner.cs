using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>Splits a training set among clients; every sample goes to exactly one client.</summary>
public interface IPartitioner
{
    /// <summary>The experiment file's name for this partitioner (partition.kind).</summary>
    string Kind { get; }

    int[][] Split(Dataset train, int clients, ref RandomStream random);
}
