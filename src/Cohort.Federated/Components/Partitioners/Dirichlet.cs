using Cohort.Data.Partitioning;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>partition.kind dirichlet: each client's label mix drawn from a Dirichlet distribution (Hsu et al. 2019).</summary>
internal static class Dirichlet
{
    public static PartitionerDeclaration Declaration { get; } = new("dirichlet", "each client's label mix drawn from a Dirichlet distribution (Hsu et al. 2019)", c => new DirichletPartitioner(c.GetDouble("partition.alpha")))
    {
        Keys = [Key.Number("alpha", "0.5", "concentration α", 1e-6)],
    };
}
