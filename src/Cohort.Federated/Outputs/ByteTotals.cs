namespace Cohort.Federated.Outputs;

/// <summary>
/// Cumulative bytes per logged round from metrics.jsonl: the run's own totals (`bytes_up_total`,
/// `bytes_down_total`) where it wrote them, which count rounds between evaluations too; otherwise the
/// running sum of the logged rounds' `bytes_up` / `bytes_down`.
/// </summary>
internal static class ByteTotals
{
    public static List<(double X, double Y)> Uplink(MetricsLog metrics) => Totals(metrics, "bytes_up");

    public static List<(double X, double Y)> Downlink(MetricsLog metrics) => Totals(metrics, "bytes_down");

    /// <summary>Test accuracy (y) against the cumulative uplink bytes (x) at each logged round.</summary>
    public static List<(double X, double Y)> AccuracyByUplink(MetricsLog metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var bytes = Uplink(metrics);
        var accuracy = metrics.Series("test_accuracy");
        return bytes.Select((b, i) => (b.Y, accuracy[i].Value)).ToList();
    }

    private static List<(double X, double Y)> Totals(MetricsLog metrics, string field)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Has(field + "_total"))
        {
            return metrics.Series(field + "_total").Select(p => (p.Round, p.Value)).ToList();
        }
        double total = 0;
        // A missing value adds nothing but keeps the total.
        return metrics.Series(field).Select(p => (p.Round, total += double.IsFinite(p.Value) ? p.Value : 0)).ToList();
    }
}
