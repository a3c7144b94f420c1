namespace Cohort.Federated.Attacks;

/// <summary>Coordinate-wise statistics of the honest updates that omniscient attacks use.</summary>
internal static class HonestStatistics
{
    /// <summary>result = scale × mean(honest).</summary>
    public static void ScaledMean(IReadOnlyList<float[]> honest, double scale, Span<float> result)
    {
        if (honest.Count == 0)
        {
            result.Clear();
            return;
        }
        for (int j = 0; j < result.Length; j++)
        {
            double sum = 0;
            foreach (var row in honest)
            {
                sum += row[j];
            }
            result[j] = (float)(scale * sum / honest.Count);
        }
    }

    /// <summary>result = mean(honest) − z·std(honest), coordinate-wise (population standard deviation).</summary>
    public static void MeanMinusStd(IReadOnlyList<float[]> honest, double z, Span<float> result)
    {
        if (honest.Count == 0)
        {
            result.Clear();
            return;
        }
        int n = honest.Count;
        for (int j = 0; j < result.Length; j++)
        {
            double sum = 0, squares = 0;
            foreach (var row in honest)
            {
                sum += row[j];
                squares += (double)row[j] * row[j];
            }
            double mean = sum / n;
            double variance = Math.Max(0, squares / n - mean * mean);
            result[j] = (float)(mean - z * Math.Sqrt(variance));
        }
    }
}
