using Cohort.Data.Partitioning;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>partition.kind natural: one client per client id the data carries (CSV client column, text speaker, synthetic user).</summary>
internal static class Natural
{
    public static PartitionerDeclaration Declaration { get; } = new("natural", "one client per client id the data carries (CSV client column, text speaker, synthetic user)", _ => new NaturalPartitioner());
}
