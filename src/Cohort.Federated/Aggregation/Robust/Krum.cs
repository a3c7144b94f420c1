using Cohort.Federated.Config;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Krum and Multi-Krum (Blanchard et al. 2017): each update is scored by the sum of squared distances
/// to its n − f − 2 nearest others; Krum returns the best, Multi-Krum the mean of the m best.
/// Both need n ≥ 2f + 3. Multi-Krum's m defaults (0) to n − f.
/// </summary>
internal sealed class Krum(int f, int selected = 1) : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("krum", "Krum (Blanchard et al. 2017): the update closest to its n − f − 2 nearest neighbours", a => new Krum(a.F) { PreAggregation = a.PreAggregation, Clipping = a.Clipping });

    public static AggregatorDeclaration MultiDeclaration { get; } = new("multi-krum", "Multi-Krum (Blanchard et al. 2017): the mean of the m updates Krum scores best", a => new Krum(a.F, a.Config.GetInt("aggregator.m")) { PreAggregation = a.PreAggregation, Clipping = a.Clipping })
    {
        Keys = [Key.Integer("m", "0", "updates averaged (0: n − f)", 0)],
    };

    public override string Name => selected == 1 ? "krum" : "multi-krum";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int n = updates.Count;
        Requirement.AtLeast(Name, n, 2 * f + 3, $"2f + 3 with f = {f}");
        int m = selected > 0 ? Math.Min(selected, n) : n - f;
        var chosen = Select(updates, VectorMath.Distances(updates), f, m);
        VectorMath.Mean(chosen.Select(i => updates[i]).ToArray(), result);
    }

    /// <summary>Indices of the m updates with the lowest Krum scores, best first (ties by index).</summary>
    public static int[] Select(IReadOnlyList<float[]> updates, double[,] distances, int f, int m)
    {
        int n = updates.Count, neighbours = Math.Max(0, n - f - 2);
        var scores = new double[n];
        for (int i = 0; i < n; i++)
        {
            // The nearest list starts with the update itself (distance 0): skip it.
            scores[i] = VectorMath.Nearest(distances, i, neighbours + 1).Skip(1).Sum(j => distances[i, j]);
        }
        return Enumerable.Range(0, n).OrderBy(i => scores[i]).ThenBy(i => i).Take(m).ToArray();
    }
}
