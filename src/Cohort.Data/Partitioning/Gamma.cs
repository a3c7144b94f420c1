using Cohort.Tensors.Random;

namespace Cohort.Data.Partitioning;

/// <summary>Gamma and Dirichlet draws (Marsaglia and Tsang 2000; α &lt; 1 by the boost U^(1/α)).</summary>
internal static class Gamma
{
    public static double Sample(double shape, ref RandomStream random)
    {
        if (shape < 1)
        {
            double u = 1.0 - random.NextDouble();
            return Sample(shape + 1, ref random) * Math.Pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(ref random);
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    /// <summary>Fills <paramref name="p"/> with a draw from the symmetric Dirichlet(α).</summary>
    public static void Dirichlet(double alpha, Span<double> p, ref RandomStream random)
    {
        double sum = 0;
        for (int k = 0; k < p.Length; k++)
        {
            p[k] = Sample(alpha, ref random);
            sum += p[k];
        }
        if (sum <= 0)
        {
            // Every draw underflowed (tiny α): all mass on one client.
            p.Clear();
            p[random.NextInt(p.Length)] = 1;
            return;
        }
        for (int k = 0; k < p.Length; k++)
        {
            p[k] /= sum;
        }
    }

    internal static double Normal(ref RandomStream random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
