namespace Cohort.Privacy;

/// <summary>Arithmetic on numbers kept as their logarithms, and the few functions the accountants need accurate near 0 and in the tails.</summary>
internal static class LogSpace
{
    /// <summary>log(e^a + e^b) without overflow.</summary>
    public static double Add(double a, double b)
    {
        double low = Math.Min(a, b), high = Math.Max(a, b);
        return double.IsNegativeInfinity(low) ? high : Log1p(Math.Exp(low - high)) + high;
    }

    /// <summary>log(e^a − e^b) for a ≥ b; −∞ when they are equal.</summary>
    public static double Subtract(double a, double b)
    {
        if (b > a)
        {
            throw new ArgumentOutOfRangeException(nameof(b), "log-space subtraction needs a ≥ b.");
        }
        if (a == b || double.IsNegativeInfinity(a))
        {
            return double.NegativeInfinity;
        }
        return a + Log1p(-Math.Exp(b - a));
    }

    /// <summary>log(1 + x), accurate for small x (Kahan's correction: double.LogP1 is log(1 + x) as written).</summary>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>e^x − 1, accurate for small x (Kahan's correction).</summary>
    public static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1.0;
        }
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>log |Γ(x)| (Lanczos, g = 7, with the reflection formula below ½): about 15 significant digits.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Γ(x) Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1.0 - x);
        }
        x -= 1.0;
        double sum = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>log |C(n, k)| for real n and k, as scipy's gammaln gives it.</summary>
    public static double LogBinomial(double n, double k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);
}
