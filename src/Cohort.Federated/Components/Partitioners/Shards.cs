using Cohort.Data.Partitioning;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>partition.kind shards: samples sorted by label, cut into shards, each client taking some (McMahan et al. 2017).</summary>
internal static class Shards
{
    public static PartitionerDeclaration Declaration { get; } = new("shards", "samples sorted by label, cut into shards, each client taking some (McMahan et al. 2017)", c => new ShardPartitioner(c.GetInt("partition.shards_per_client")))
    {
        Keys = [Key.Integer("shards_per_client", "2", "shards per client", 1)],
    };
}
