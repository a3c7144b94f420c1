namespace Cohort.Federated.Metrics;

/// <summary>The round's compression ratios: the bytes dense float32 messages would take over the bytes sent (1 without compression).</summary>
internal static class CompressionRatio
{
    public static void Record(RoundMetrics metrics, int parameters, int buffers, int clients)
    {
        double denseUp = 4.0 * parameters * clients, denseDown = 4.0 * (parameters + buffers) * clients;
        metrics.Extra["compression_ratio_up"] = metrics.BytesUp > 0 ? denseUp / metrics.BytesUp : double.NaN;
        metrics.Extra["compression_ratio_down"] = metrics.BytesDown > 0 ? denseDown / metrics.BytesDown : double.NaN;
    }
}
