using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Quadratics;

/// <summary>One client's f(x) = ½‖Ax − b‖², with the reference arithmetic the tests compare against, in double.</summary>
public sealed record Quadratic(double[,] A, double[] B)
{
    public int Rows => B.Length;

    public int Dimension => A.GetLength(1);

    /// <summary>A random client: m rows of dimension d, rows scaled so that the curvature stays near 1.</summary>
    public static Quadratic Random(int rows, int dimension, int seed, double shift = 0)
    {
        var random = RandomStream.Create((ulong)seed, 17);
        var a = new double[rows, dimension];
        var b = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < dimension; j++)
            {
                a[r, j] = random.NextNormal() / Math.Sqrt(rows);
            }
            b[r] = random.NextNormal() + shift;
        }
        return new Quadratic(a, b);
    }

    /// <summary>Aᵀ(Ax − b) over the given rows, scaled by m/|rows| (the whole objective's gradient when all rows).</summary>
    public double[] Gradient(double[] x, int start = 0, int count = -1)
    {
        if (count < 0)
        {
            count = Rows;
        }
        var g = new double[Dimension];
        for (int r = start; r < start + count; r++)
        {
            double residual = -B[r];
            for (int j = 0; j < Dimension; j++)
            {
                residual += A[r, j] * x[j];
            }
            for (int j = 0; j < Dimension; j++)
            {
                g[j] += (double)Rows / count * A[r, j] * residual;
            }
        }
        return g;
    }

    public double Loss(double[] x)
    {
        double loss = 0;
        for (int r = 0; r < Rows; r++)
        {
            double residual = -B[r];
            for (int j = 0; j < Dimension; j++)
            {
                residual += A[r, j] * x[j];
            }
            loss += 0.5 * residual * residual;
        }
        return loss;
    }

    /// <summary>The minimiser of Σ pᵢ fᵢ: (Σ pᵢAᵢᵀAᵢ) x = Σ pᵢAᵢᵀbᵢ, by Gaussian elimination.</summary>
    public static double[] Optimum(IReadOnlyList<Quadratic> clients, IReadOnlyList<double> weights)
    {
        int d = clients[0].Dimension;
        var m = new double[d, d + 1];
        for (int i = 0; i < clients.Count; i++)
        {
            var c = clients[i];
            for (int r = 0; r < c.Rows; r++)
            {
                for (int j = 0; j < d; j++)
                {
                    for (int k = 0; k < d; k++)
                    {
                        m[j, k] += weights[i] * c.A[r, j] * c.A[r, k];
                    }
                    m[j, d] += weights[i] * c.A[r, j] * c.B[r];
                }
            }
        }
        for (int col = 0; col < d; col++)
        {
            int pivot = Enumerable.Range(col, d - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int k = 0; k <= d; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }
            for (int r = 0; r < d; r++)
            {
                if (r != col)
                {
                    double f = m[r, col] / m[col, col];
                    for (int k = col; k <= d; k++)
                    {
                        m[r, k] -= f * m[col, k];
                    }
                }
            }
        }
        return Enumerable.Range(0, d).Select(j => m[j, d] / m[j, j]).ToArray();
    }
}
