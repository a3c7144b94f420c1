namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Bulyan (El Mhamdi et al. 2018): θ = n − 2f updates chosen by Krum one at a time, then per
/// coordinate the mean of the β = θ − 2f values closest to the median. Needs n ≥ 4f + 3.
/// </summary>
internal sealed class Bulyan(int f) : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("bulyan", "Bulyan (El Mhamdi et al. 2018): Krum selection, then a trimmed mean around the median", a => new Bulyan(a.F) { PreAggregation = a.PreAggregation, Clipping = a.Clipping });

    public override string Name => "bulyan";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int n = updates.Count;
        Requirement.AtLeast(Name, n, 4 * f + 3, $"4f + 3 with f = {f}");
        var all = VectorMath.Distances(updates);
        var remaining = Enumerable.Range(0, n).ToList();
        var chosen = new List<float[]>();
        while (chosen.Count < n - 2 * f)
        {
            // Krum over the remaining updates, on the sub-matrix of the distances computed once.
            var distances = new double[remaining.Count, remaining.Count];
            for (int i = 0; i < remaining.Count; i++)
            {
                for (int j = 0; j < remaining.Count; j++)
                {
                    distances[i, j] = all[remaining[i], remaining[j]];
                }
            }
            int best = Krum.Select(remaining.Select(i => updates[i]).ToArray(), distances, f, 1)[0];
            chosen.Add(updates[remaining[best]]);
            remaining.RemoveAt(best);
        }
        int theta = chosen.Count, beta = theta - 2 * f;
        CoordinateWise.Apply(chosen, result, sorted =>
        {
            // The β sorted values closest to the median form a contiguous window around it.
            float median = CoordinateWise.Median(sorted);
            int lo = 0, hi = theta;
            while (hi - lo > beta)
            {
                if (median - sorted[lo] > sorted[hi - 1] - median)
                {
                    lo++;
                }
                else
                {
                    hi--;
                }
            }
            return CoordinateWise.MeanOf(sorted, lo, beta);
        });
    }
}
