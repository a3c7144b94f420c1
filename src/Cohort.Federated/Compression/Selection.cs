namespace Cohort.Federated.Compression;

/// <summary>Order statistics in expected O(n): quickselect, no sort.</summary>
internal static class Selection
{
    /// <summary>The k-th largest of <paramref name="values"/> (k from 1); reorders the span.</summary>
    public static float KthLargest(Span<float> values, int k)
    {
        if (k < 1 || k > values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} for {values.Length} values.");
        }
        int target = k - 1, low = 0, high = values.Length - 1;
        while (low < high)
        {
            // Median of three keeps sorted and reverse-sorted input linear.
            int mid = low + (high - low) / 2;
            float pivot = Median(values[low], values[mid], values[high]);
            int i = low, j = high;
            while (i <= j)
            {
                while (values[i] > pivot)
                {
                    i++;
                }
                while (values[j] < pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            // Now [low, j] ≥ pivot, [i, high] ≤ pivot and anything between equals the pivot.
            if (target <= j)
            {
                high = j;
            }
            else if (target >= i)
            {
                low = i;
            }
            else
            {
                return values[target];
            }
        }
        return values[target];
    }

    private static float Median(float a, float b, float c) =>
        a > b ? (b > c ? b : Math.Min(a, c)) : (a > c ? a : Math.Min(b, c));
}
