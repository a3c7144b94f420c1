using Cohort.Data.Partitioning;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>partition.kind iid: samples shuffled and dealt out evenly.</summary>
internal static class Iid
{
    public static PartitionerDeclaration Declaration { get; } = new("iid", "samples shuffled and dealt out evenly", _ => new IidPartitioner());
}
