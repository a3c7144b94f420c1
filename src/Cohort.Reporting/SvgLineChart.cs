using System.Text;

namespace Cohort.Reporting;

/// <summary>An inline SVG line chart with axes, ticks, grid and legend; no scripts, no external resources.</summary>
internal static class SvgLineChart
{
    private const double Width = 720, Height = 320, Left = 72, Right = 16, Top = 34, Bottom = 44;

    /// <summary>
    /// Renders the series; x is a round count unless <paramref name="logX"/> puts it on a logarithmic axis
    /// (for byte counts that span decades), where points at x ≤ 0 are left out.
    /// </summary>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series,
        Func<double, string>? yFormat = null, Func<double, string>? xFormat = null, bool logX = false)
    {
        yFormat ??= Html.Number;
        xFormat ??= Html.Number;
        var xs = series.SelectMany(s => s.Points.Where(p => double.IsFinite(p.Y)).Select(p => p.X));
        var x = logX ? ChartAxis.LogFor(xs) : ChartAxis.For(xs, integers: true);
        var y = ChartAxis.For(series.SelectMany(s => s.Points.Select(p => p.Y)));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double v) => Left + x.Fraction(v) * plotW;
        double Py(double v) => Top + (1 - y.Fraction(v)) * plotH;

        var sb = new StringBuilder();
        sb.Append($"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html.Escape(title)}\">");
        foreach (double t in y.Ticks())
        {
            sb.Append($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Html.Coord(Py(t))}\" y2=\"{Html.Coord(Py(t))}\"/>");
            sb.Append($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Html.Coord(Py(t) + 4)}\" text-anchor=\"end\">{Html.Escape(yFormat(t))}</text>");
        }
        foreach (double t in x.Ticks())
        {
            sb.Append($"<line class=\"axis\" x1=\"{Html.Coord(Px(t))}\" x2=\"{Html.Coord(Px(t))}\" y1=\"{Top + plotH}\" y2=\"{Top + plotH + 4}\"/>");
            sb.Append($"<text class=\"tick\" x=\"{Html.Coord(Px(t))}\" y=\"{Top + plotH + 17}\" text-anchor=\"middle\">{Html.Escape(xFormat(t))}</text>");
        }
        sb.Append($"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\"/>");
        sb.Append($"<text class=\"label\" x=\"{Html.Coord(Left + plotW / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Html.Escape(xLabel)}</text>");
        sb.Append($"<text class=\"label\" transform=\"translate(14 {Html.Coord(Top + plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{Html.Escape(yLabel)}</text>");
        foreach (var s in series)
        {
            AppendSeries(sb, s, Px, Py);
        }
        AppendLegend(sb, series);
        return sb.Append("</svg>").ToString();
    }

    private static void AppendSeries(StringBuilder sb, ChartSeries s, Func<double, double> px, Func<double, double> py)
    {
        string dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
        string color = Html.Escape(s.Color);
        // NaN values split the line into runs; a run of one point is drawn as a dot.
        var run = new List<(double X, double Y)>();
        foreach (var p in s.Points.Append((X: double.NaN, Y: double.NaN)))
        {
            if (double.IsFinite(p.Y) && double.IsFinite(px(p.X)))
            {
                run.Add(p);
                continue;
            }
            if (run.Count == 1)
            {
                sb.Append($"<circle cx=\"{Html.Coord(px(run[0].X))}\" cy=\"{Html.Coord(py(run[0].Y))}\" r=\"3\" fill=\"{color}\"><title>{Html.Escape(s.Name)}</title></circle>");
            }
            else if (run.Count > 1)
            {
                string points = string.Join(' ', run.Select(q => Html.Coord(px(q.X)) + "," + Html.Coord(py(q.Y))));
                sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{points}\"><title>{Html.Escape(s.Name)}</title></polyline>");
            }
            run.Clear();
        }
    }

    private static void AppendLegend(StringBuilder sb, IReadOnlyList<ChartSeries> series)
    {
        double at = Left;
        foreach (var s in series)
        {
            string dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            sb.Append($"<line x1=\"{Html.Coord(at)}\" x2=\"{Html.Coord(at + 22)}\" y1=\"16\" y2=\"16\" stroke=\"{Html.Escape(s.Color)}\" stroke-width=\"3\"{dash}/>");
            sb.Append($"<text class=\"legend\" x=\"{Html.Coord(at + 27)}\" y=\"20\">{Html.Escape(s.Name)}</text>");
            // Roughly the text's width at 12px, so entries do not overlap.
            at += 40 + s.Name.Length * 6.6;
        }
    }
}
