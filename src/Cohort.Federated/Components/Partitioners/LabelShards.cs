using Cohort.Data.Partitioning;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>partition.kind label-shards: each client holding a few labels, each label's samples shared among its holders.</summary>
internal static class LabelShards
{
    public static PartitionerDeclaration Declaration { get; } = new("label-shards", "each client holding a few labels, each label's samples shared among its holders", c => new LabelShardPartitioner(c.GetInt("partition.shards_per_client")))
    {
        Keys = [Key.Integer("shards_per_client", "2", "shards per client", 1)],
    };
}
