namespace Cohort.Federated.Aggregation;

/// <summary>Orders updates by their content (first differing coordinate): a canonical order independent of arrival.</summary>
internal sealed class UpdateOrder : IComparer<float[]>
{
    public static readonly UpdateOrder Instance = new();

    public int Compare(float[]? a, float[]? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return a.Length.CompareTo(b.Length);
    }
}
