using Cohort.Federated.Config;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// The geometric median by smoothed Weiszfeld iterations (RFA, Pillutla et al. 2022):
/// z ← Σ βᵢxᵢ / Σ βᵢ with βᵢ = 1 / max(ν, ‖z − xᵢ‖), started from the mean.
/// </summary>
internal sealed class GeometricMedian(int iterations = 8, double smoothing = 1e-6) : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("geometric-median", "geometric median by smoothed Weiszfeld iterations (Pillutla et al. 2022)", a => new GeometricMedian(a.Config.GetInt("aggregator.iterations")) { PreAggregation = a.PreAggregation, Clipping = a.Clipping })
    {
        Keys = [Key.Integer("iterations", "3", "Weiszfeld iterations", 1)],
    };

    public override string Name => "geometric-median";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int n = updates.Count, d = result.Length;
        VectorMath.Mean(updates, result);
        var z = new double[d];
        var betas = new double[n];
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                betas[i] = 1 / Math.Max(smoothing, Math.Sqrt(VectorMath.SquaredDistance(result, updates[i])));
            }
            double total = betas.Sum();
            Array.Clear(z);
            for (int i = 0; i < n; i++)
            {
                var row = updates[i];
                double beta = betas[i] / total;
                for (int j = 0; j < d; j++)
                {
                    z[j] += beta * row[j];
                }
            }
            for (int j = 0; j < d; j++)
            {
                result[j] = (float)z[j];
            }
        }
    }
}
