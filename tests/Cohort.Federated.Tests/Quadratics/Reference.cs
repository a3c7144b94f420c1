namespace Cohort.Federated.Tests.Quadratics;

/// <summary>Small double-precision vector helpers for the hand-computed rounds.</summary>
public static class Reference
{
    public static double[] Add(double[] a, double[] b, double scale = 1) => a.Select((v, i) => v + scale * b[i]).ToArray();

    public static double[] Scale(double[] a, double s) => a.Select(v => v * s).ToArray();

    public static double[] Zero(int d) => new double[d];

    /// <summary>Σ wᵢvᵢ / Σ wᵢ.</summary>
    public static double[] Mean(IReadOnlyList<double[]> vectors, IReadOnlyList<double> weights)
    {
        var result = new double[vectors[0].Length];
        double total = weights.Sum();
        for (int i = 0; i < vectors.Count; i++)
        {
            for (int j = 0; j < result.Length; j++)
            {
                result[j] += weights[i] / total * vectors[i][j];
            }
        }
        return result;
    }

    public static double Distance(double[] a, double[] b) => Math.Sqrt(a.Select((v, i) => (v - b[i]) * (v - b[i])).Sum());

    public static double Norm2(double[] a) => a.Sum(v => v * v);

    /// <summary>K steps of gradient descent on a client with a gradient correction: y ← y − η(∇f(y) + correction(y)).</summary>
    public static double[] Descend(Quadratic client, double[] x, int steps, double lr, Func<double[], double[]>? correction = null)
    {
        var y = (double[])x.Clone();
        for (int k = 0; k < steps; k++)
        {
            var g = client.Gradient(y);
            if (correction is not null)
            {
                g = correction(y).Select((c, j) => g[j] + c).ToArray();
            }
            y = Add(y, g, -lr);
        }
        return y;
    }

    public static void Close(double[] expected, ReadOnlySpan<float> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, Math.Sqrt(Norm2(expected)));
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance * scale, $"[{j}]: expected {expected[j]}, got {actual[j]}");
        }
    }
}
