namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Runs a statistic over the sorted values of each coordinate.</summary>
internal static class CoordinateWise
{
    public static void Apply(IReadOnlyList<float[]> rows, Span<float> result, Func<float[], float> statistic)
    {
        var values = new float[rows.Count];
        for (int i = 0; i < result.Length; i++)
        {
            for (int r = 0; r < values.Length; r++)
            {
                values[r] = rows[r][i];
            }
            Array.Sort(values);
            result[i] = statistic(values);
        }
    }

    /// <summary>The median of sorted values (the mean of the two middle ones when their count is even).</summary>
    public static float Median(float[] sorted)
    {
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (float)(((double)sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    }

    /// <summary>The mean of sorted[from .. from + count).</summary>
    public static float MeanOf(float[] sorted, int from, int count)
    {
        double sum = 0;
        for (int i = from; i < from + count; i++)
        {
            sum += sorted[i];
        }
        return (float)(sum / count);
    }
}
