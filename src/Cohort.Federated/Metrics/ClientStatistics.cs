namespace Cohort.Federated.Metrics;

/// <summary>Spread of per-client accuracies: mean, standard deviation, 10th percentile, worst.</summary>
public readonly record struct ClientStatistics(double Mean, double Std, double P10, double Worst)
{
    public static ClientStatistics Of(IReadOnlyList<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).Order().ToArray();
        if (v.Length == 0)
        {
            return new ClientStatistics(double.NaN, double.NaN, double.NaN, double.NaN);
        }
        double mean = v.Average();
        double std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
        // Linear interpolation between order statistics, as numpy's default percentile.
        double rank = 0.1 * (v.Length - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, v.Length - 1);
        double p10 = v[lo] + (rank - lo) * (v[hi] - v[lo]);
        return new ClientStatistics(mean, std, p10, v[0]);
    }
}
