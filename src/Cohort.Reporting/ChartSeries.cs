namespace Cohort.Reporting;

/// <summary>One line of a chart: its legend name, color, points (a NaN y breaks the line) and whether it is dashed.</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);
