namespace Cohort.Privacy.Tests;

/// <summary>Φ and log Φ against tabulated values (Abramowitz and Stegun table 26.1; deep tail from the asymptotic series), and the quantile as their inverse.</summary>
public class NormalTests
{
    [Theory]
    [InlineData(2.0, 0.97724986805182079)]
    [InlineData(0.0, 0.5)]
    [InlineData(-1.0, 0.15865525393145705)]
    [InlineData(-2.5, 0.0062096653257761351)]
    [InlineData(-3.0, 0.0013498980316300946)]
    [InlineData(-3.5, 2.3262907903552504e-04)]
    [InlineData(-4.0, 3.1671241833119863e-05)]
    [InlineData(-6.0, 9.8658764503769458e-10)]
    [InlineData(-8.0, 6.2209605742717841e-16)]
    [InlineData(-5.0, 2.8665157187919391e-07)]
    [InlineData(-10.0, 7.619853024160527e-24)]
    public void CdfMatchesTables(double x, double expected) => Vectors.Close(expected, Normal.Cdf(x), 1e-12, $"Φ({x})");

    /// <summary>log Φ(x) = −x²/2 − log(−x) − ½log(2π) + log(1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸ …) far in the lower tail.</summary>
    [Theory]
    [InlineData(-40.0)]
    [InlineData(-100.0)]
    [InlineData(-1000.0)]
    public void LogCdfFollowsTheAsymptoticSeries(double x)
    {
        double x2 = x * x;
        double series = 1 - 1 / x2 + 3 / (x2 * x2) - 15 / (x2 * x2 * x2) + 105 / (x2 * x2 * x2 * x2);
        double expected = -x2 / 2 - Math.Log(-x) - 0.5 * Math.Log(2 * Math.PI) + Math.Log(series);
        Vectors.Close(expected, Normal.LogCdf(x), 1e-14, $"log Φ({x})");
    }

    [Theory]
    [InlineData(-50.0)]
    [InlineData(-1e-3)]
    [InlineData(-2.0)]
    public void QuantileInvertsLogCdf(double logP)
    {
        double x = Normal.QuantileOfLog(logP);
        Vectors.Close(logP, Normal.LogCdf(x), 1e-12);
    }
}
