using System.Numerics.Tensors;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>The vector arithmetic the robust aggregators share, in double where sums are long.</summary>
internal static class VectorMath
{
    public static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => VectorDistance.Squared(a, b);

    public static double Norm(ReadOnlySpan<float> a) => Math.Sqrt(TensorPrimitives.SumOfSquares(a));

    /// <summary>result = the plain mean of the given rows.</summary>
    public static void Mean(IReadOnlyList<float[]> rows, Span<float> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            double sum = 0;
            foreach (var row in rows)
            {
                sum += row[i];
            }
            result[i] = (float)(sum / rows.Count);
        }
    }

    /// <summary>Pairwise squared distances, [n, n].</summary>
    public static double[,] Distances(IReadOnlyList<float[]> rows)
    {
        int n = rows.Count;
        var d = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                d[i, j] = d[j, i] = SquaredDistance(rows[i], rows[j]);
            }
        }
        return d;
    }

    /// <summary>Indices of the k rows nearest to row i (itself included, at distance 0), nearest first; ties by index.</summary>
    public static int[] Nearest(double[,] distances, int i, int k)
    {
        int n = distances.GetLength(0);
        return Enumerable.Range(0, n).OrderBy(j => distances[i, j]).ThenBy(j => j).Take(k).ToArray();
    }
}
