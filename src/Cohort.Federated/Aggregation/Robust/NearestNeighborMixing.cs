using Cohort.Federated.Config;


namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Nearest-neighbour mixing (Allouah et al. 2023): each update replaced by the mean of its n − f nearest (itself included).</summary>
internal sealed class NearestNeighborMixing(int f) : IPreAggregation
{
    public static PreAggregationDeclaration Declaration { get; } = new("nnm", "nearest-neighbour mixing (Allouah et al. 2023): each update replaced by the mean of its n − f nearest", a => a.Config.GetBool("aggregator.nnm") ? new NearestNeighborMixing(a.F) : null)
    {
        Keys = [Key.Boolean("nnm", "false", "pre-aggregation: nearest-neighbour mixing")],
        Order = 1,
    };

    public string Name => "nnm";

    public IReadOnlyList<float[]> Apply(IReadOnlyList<float[]> updates, AggregationContext context)
    {
        int n = updates.Count, k = Math.Max(1, n - f);
        var distances = VectorMath.Distances(updates);
        var mixed = new float[n][];
        for (int i = 0; i < n; i++)
        {
            mixed[i] = new float[updates[i].Length];
            VectorMath.Mean(VectorMath.Nearest(distances, i, k).Select(j => updates[j]).ToArray(), mixed[i]);
        }
        return mixed;
    }
}
