namespace Cohort.Federated.Leakage;

/// <summary>
/// Limited-memory BFGS (Nocedal and Wright 2006, Algorithm 7.4: the two-loop recursion) with a
/// backtracking line search on the Armijo condition, minimising f over a vector in place. DLG's optimiser.
/// </summary>
internal sealed class Lbfgs(int memory = 10)
{
    private const double Armijo = 1e-4;
    private const int Backtracks = 20;

    /// <summary>f's value at x, its gradient written into the second argument.</summary>
    public delegate double Objective(double[] x, double[] gradient);

    /// <summary>Runs up to <paramref name="iterations"/> iterations from <paramref name="x"/> (updated in place); returns the final value.</summary>
    public double Minimize(Objective f, double[] x, int iterations)
    {
        int n = x.Length;
        var g = new double[n];
        var direction = new double[n];
        var trial = new double[n];
        var trialGrad = new double[n];
        var s = new List<double[]>();
        var y = new List<double[]>();
        var rho = new List<double>();
        double value = f(x, g);
        for (int it = 0; it < iterations; it++)
        {
            TwoLoop(g, s, y, rho, direction);
            double slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (curvature pairs gone stale): restart from steepest descent.
                s.Clear();
                y.Clear();
                rho.Clear();
                TwoLoop(g, s, y, rho, direction);
                slope = Dot(g, direction);
            }
            if (slope == 0)
            {
                break;
            }
            // The first step is scaled to length 1; later ones take the quasi-Newton step.
            double step = s.Count == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(Dot(g, g))) : 1.0;
            double trialValue = double.NaN;
            bool accepted = false;
            for (int b = 0; b < Backtracks; b++, step *= 0.5)
            {
                for (int i = 0; i < n; i++)
                {
                    trial[i] = x[i] + step * direction[i];
                }
                trialValue = f(trial, trialGrad);
                if (double.IsFinite(trialValue) && trialValue <= value + Armijo * step * slope)
                {
                    accepted = true;
                    break;
                }
            }
            if (!accepted)
            {
                // The line search found no decrease: forget the curvature pairs and try steepest descent once more.
                if (s.Count == 0)
                {
                    break;
                }
                s.Clear();
                y.Clear();
                rho.Clear();
                continue;
            }
            var sNew = new double[n];
            var yNew = new double[n];
            for (int i = 0; i < n; i++)
            {
                sNew[i] = trial[i] - x[i];
                yNew[i] = trialGrad[i] - g[i];
            }
            double sy = Dot(sNew, yNew);
            if (sy > 1e-12 * Math.Sqrt(Dot(sNew, sNew) * Dot(yNew, yNew)))
            {
                if (s.Count == memory)
                {
                    s.RemoveAt(0);
                    y.RemoveAt(0);
                    rho.RemoveAt(0);
                }
                s.Add(sNew);
                y.Add(yNew);
                rho.Add(1 / sy);
            }
            Array.Copy(trial, x, n);
            Array.Copy(trialGrad, g, n);
            value = trialValue;
        }
        return value;
    }

    /// <summary>direction = −H·g, H the inverse-Hessian estimate from the stored pairs, scaled by sᵀy/yᵀy of the newest.</summary>
    private static void TwoLoop(double[] g, List<double[]> s, List<double[]> y, List<double> rho, double[] direction)
    {
        int m = s.Count;
        var alpha = new double[m];
        Array.Copy(g, direction, g.Length);
        for (int k = m - 1; k >= 0; k--)
        {
            alpha[k] = rho[k] * Dot(s[k], direction);
            Axpy(-alpha[k], y[k], direction);
        }
        if (m > 0)
        {
            double gamma = Dot(s[m - 1], y[m - 1]) / Dot(y[m - 1], y[m - 1]);
            for (int i = 0; i < direction.Length; i++)
            {
                direction[i] *= gamma;
            }
        }
        for (int k = 0; k < m; k++)
        {
            double beta = rho[k] * Dot(y[k], direction);
            Axpy(alpha[k] - beta, s[k], direction);
        }
        for (int i = 0; i < direction.Length; i++)
        {
            direction[i] = -direction[i];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
