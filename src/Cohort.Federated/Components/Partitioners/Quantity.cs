using Cohort.Data.Partitioning;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>partition.kind quantity: IID labels with client sizes drawn from a log-normal or power law.</summary>
internal static class Quantity
{
    public static PartitionerDeclaration Declaration { get; } = new("quantity", "IID labels with client sizes drawn from a log-normal or power law", c => new QuantityPartitioner(c.Get("partition.distribution"), c.GetDouble("partition.sigma")))
    {
        Keys = [Key.Choice("distribution", "lognormal", "distribution of client sizes", "lognormal", "powerlaw"), Key.Number("sigma", "1", "σ of the log-normal, or the power law's exponent", 1e-6)],
    };
}
