using Cohort.Federated.Config;

namespace Cohort.Federated.Attacks;

/// <summary>
/// "A little is enough" (Baruch et al. 2019): mean − z·std of the honest updates, coordinate-wise,
/// with z from the paper's formula, s = ⌊n/2 + 1⌋ − b and z = Φ⁻¹((n − s)/n), unless given.
/// </summary>
internal sealed class LittleIsEnough(double? z = null) : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("alie", "a little is enough (Baruch et al. 2019): the honest mean shifted by z standard deviations", a => new LittleIsEnough(a.Config.GetOptionalDouble("attack.z")))
    {
        Keys = [Key.Number("z", null, "z (default: from the number of clients and Byzantine clients)") with { Optional = true }],
    };

    public string Name => "alie";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) =>
        HonestStatistics.MeanMinusStd(honest, z ?? DefaultZ(context.CohortSize, context.Byzantine), own);

    public static double DefaultZ(int n, int byzantine)
    {
        int s = n / 2 + 1 - byzantine;
        double p = (n - s) / (double)n;
        return p <= 0 || p >= 1 ? 1 : NormalQuantile(p);
    }

    /// <summary>Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low)
        {
            return -NormalQuantile(1 - p);
        }
        double r = p - 0.5, t = r * r;
        return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * r / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
    }
}
