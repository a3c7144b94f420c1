namespace Cohort.Federated.Outputs;

/// <summary>An axis range widened to round tick values (1, 2 or 5 times a power of ten).</summary>
internal readonly record struct ChartAxis(double Min, double Max, double Step)
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

    public IEnumerable<double> Ticks()
    {
        int count = (int)Math.Round((Max - Min) / Step);
        for (int i = 0; i <= count; i++)
        {
            yield return Min + i * Step;
        }
    }

    /// <summary>Maps a value to [0, 1] along the axis.</summary>
    public double Fraction(double v) => (v - Min) / (Max - Min);

    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double f = rough / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }
}
