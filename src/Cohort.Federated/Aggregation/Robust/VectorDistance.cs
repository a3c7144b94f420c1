namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Distances between updates, in double precision.</summary>
internal static class VectorDistance
{
    public static double Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
