namespace Cohort.Reporting;

/// <summary>
/// An axis range widened to round tick values: 1, 2 or 5 times a power of ten on a linear axis, whole
/// decades on a logarithmic one.
/// </summary>
internal readonly record struct ChartAxis(double Min, double Max, double Step, bool Log = false)
{
    public static ChartAxis For(IEnumerable<double> values, int ticks = 5, bool integers = false)
    {
        var finite = values.Where(double.IsFinite).ToList();
        double lo = finite.Count > 0 ? finite.Min() : 0, hi = finite.Count > 0 ? finite.Max() : 1;
        if (hi == lo)
        {
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = NiceStep((hi - lo) / ticks);
        if (integers)
        {
            step = Math.Max(1, Math.Round(step));
        }
        return new ChartAxis(Math.Floor(lo / step) * step, Math.Ceiling(hi / step) * step, step);
    }

    /// <summary>A base-10 logarithmic axis over the positive finite values, from the decade below the least to the decade above the greatest.</summary>
    public static ChartAxis LogFor(IEnumerable<double> values)
    {
        var positive = values.Where(v => double.IsFinite(v) && v > 0).ToList();
        double lo = positive.Count > 0 ? Math.Floor(Math.Log10(positive.Min())) : 0;
        double hi = positive.Count > 0 ? Math.Ceiling(Math.Log10(positive.Max())) : 1;
        if (hi == lo)
        {
            hi = lo + 1;
        }
        return new ChartAxis(Math.Pow(10, lo), Math.Pow(10, hi), 10, Log: true);
    }

    public IEnumerable<double> Ticks()
    {
        if (Log)
        {
            int decades = (int)Math.Round(Math.Log10(Max / Min));
            for (int i = 0; i <= decades; i++)
            {
                yield return Min * Math.Pow(10, i);
            }
            yield break;
        }
        int count = (int)Math.Round((Max - Min) / Step);
        for (int i = 0; i <= count; i++)
        {
            yield return Min + i * Step;
        }
    }

    /// <summary>Maps a value to [0, 1] along the axis (NaN for a value a logarithmic axis cannot show).</summary>
    public double Fraction(double v) => Log
        ? v > 0 ? Math.Log10(v / Min) / Math.Log10(Max / Min) : double.NaN
        : (v - Min) / (Max - Min);

    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double f = rough / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }
}
