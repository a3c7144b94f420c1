using System.Globalization;
using System.Text;
using Cohort.Federated.Outputs;
using Cohort.Federated.Robustness;

namespace Cohort.Reporting;

/// <summary>The grid as CSV, Markdown and a self-contained HTML page of heatmaps (one per Byzantine count).</summary>
internal static class RobustnessTables
{
    public const string CsvFile = "robustness.csv";
    public const string MarkdownFile = "robustness.md";
    public const string HtmlFile = "report.html";

    public static void Write(string folder, IReadOnlyList<RobustnessCell> cells, string title)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), Csv(cells));
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown(cells));
        AtomicFile.WriteAllText(Path.Combine(folder, HtmlFile), Html(cells, title));
    }

    public static string Csv(IReadOnlyList<RobustnessCell> cells)
    {
        var sb = new StringBuilder("aggregator,attack,byzantine,test_accuracy,honest_client_accuracy,clipped_fraction,seconds,error\n");
        foreach (var c in cells)
        {
            string error = c.Error is null ? "" : "\"" + c.Error.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            sb.Append(CultureInfo.InvariantCulture, $"{c.Aggregator},{c.Attack},{Number(c.Byzantine)},{Number(c.TestAccuracy)},{Number(c.HonestClientAccuracy)},{Number(c.ClippedFraction)},{c.Seconds:F1},{error}\n");
        }
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<RobustnessCell> cells)
    {
        var sb = new StringBuilder("| aggregator | attack | byzantine | test_accuracy | honest_client_accuracy | clipped_fraction |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var c in cells)
        {
            string test = c.Error is null ? Percent(c.TestAccuracy) : "— (" + c.Error.Split('(')[0].Trim() + ")";
            sb.Append(CultureInfo.InvariantCulture, $"| {c.Aggregator} | {c.Attack} | {Number(c.Byzantine)} | {test} | {Percent(c.HonestClientAccuracy)} | {Percent(c.ClippedFraction)} |\n");
        }
        return sb.ToString();
    }

    public static string Html(IReadOnlyList<RobustnessCell> cells, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Reporting.Html.Escape(title)).Append("</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:900px;padding:0 1rem;color:#222}")
          .Append("table{border-collapse:collapse;margin:1rem 0}th,td{padding:.3rem .6rem;border:1px solid #fff;text-align:center;font-variant-numeric:tabular-nums}")
          .Append("th{background:#f4f4f4}td.err{background:#eee;color:#888}</style></head><body>")
          .Append("<h1>").Append(Reporting.Html.Escape(title)).Append("</h1><p>Final test accuracy of each aggregator (rows) against each attack (columns); the colour runs from red (10 %) to green (100 %). Hover a cell for the honest clients' mean accuracy.</p>");
        var aggregators = cells.Select(c => c.Aggregator).Distinct().ToList();
        var attacks = cells.Select(c => c.Attack).Distinct().ToList();
        foreach (double b in cells.Select(c => c.Byzantine).Distinct())
        {
            sb.Append("<h2>").Append(Number(b)).Append(" Byzantine</h2><table><tr><th></th>");
            foreach (string attack in attacks)
            {
                sb.Append("<th>").Append(Reporting.Html.Escape(attack)).Append("</th>");
            }
            sb.Append("</tr>");
            foreach (string aggregator in aggregators)
            {
                sb.Append("<tr><th>").Append(Reporting.Html.Escape(aggregator)).Append("</th>");
                foreach (string attack in attacks)
                {
                    var c = cells.FirstOrDefault(x => x.Aggregator == aggregator && x.Attack == attack && x.Byzantine == b);
                    if (c is null || c.Error is not null || !double.IsFinite(c.TestAccuracy))
                    {
                        sb.Append("<td class=\"err\" title=\"").Append(Reporting.Html.Escape(c?.Error ?? "not run")).Append("\">—</td>");
                        continue;
                    }
                    sb.Append(CultureInfo.InvariantCulture, $"<td style=\"background:{Colour(c.TestAccuracy)}\" title=\"honest clients {Percent(c.HonestClientAccuracy)}\">{Percent(c.TestAccuracy)}</td>");
                }
                sb.Append("</tr>");
            }
            sb.Append("</table>");
        }
        return sb.Append("</body></html>\n").ToString();
    }

    /// <summary>Red at chance level (10 %) through yellow to green at 100 %.</summary>
    private static string Colour(double accuracy)
    {
        double t = Math.Clamp((accuracy - 0.1) / 0.9, 0, 1);
        int hue = (int)Math.Round(120 * t);
        return $"hsl({hue},70%,75%)";
    }

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static string Percent(double v) => double.IsFinite(v) ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";
}
