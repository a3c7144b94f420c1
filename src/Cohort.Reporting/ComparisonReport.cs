using System.Text;
using Cohort.Federated.Outputs;

namespace Cohort.Reporting;

/// <summary>
/// One self-contained page comparing several run folders: a table of their outcomes and bytes, test
/// accuracy per round, and test accuracy against the bytes the clients sent (the chart that ranks
/// compressors). Like report.html it loads nothing and runs no script.
/// </summary>
internal static class ComparisonReport
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Writes the comparison of <paramref name="runFolders"/> to <paramref name="path"/> (atomically) and returns the path.</summary>
    public static string Write(IReadOnlyList<string> runFolders, string path)
    {
        ArgumentNullException.ThrowIfNull(runFolders);
        string html = Build(runFolders.Select(RunFolder.Open).ToList());
        AtomicFile.WriteAllText(path, html);
        return Path.GetFullPath(path);
    }

    /// <summary>The page's HTML; a missing or malformed file in any folder is a <see cref="RunFileException"/> naming it.</summary>
    public static string Build(IReadOnlyList<RunFolder> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (folders.Count == 0)
        {
            throw new ArgumentException("A comparison needs at least one run folder.", nameof(folders));
        }
        var runs = folders.Select(f => new Run(Name(f), MetricsLog.Read(f.MetricsJsonlPath), SummaryFile.Read(f.SummaryPath))).ToList();

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Cohort runs compared</title>\n<style>").Append(ReportStyle.Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>Cohort runs compared</h1>\n");
        AppendTable(sb, runs);
        if (runs.All(r => r.Metrics.Rows.Count == 0))
        {
            sb.Append("<p class=\"note\">No run has logged a round yet.</p>\n");
        }
        else
        {
            var series = runs.Select((r, i) => (Run: r, Color: Palette[i % Palette.Length], Dashed: i >= Palette.Length)).ToList();
            HtmlReport.Figure(sb, "Test accuracy per round", SvgLineChart.Render("test accuracy", "round", "test accuracy",
                series.Select(s => new ChartSeries(s.Run.Name, s.Color, s.Run.Metrics.Series("test_accuracy"), s.Dashed)).ToList()));
            HtmlReport.Figure(sb, "Test accuracy against the bytes clients sent (cumulative, logarithmic axis)", SvgLineChart.Render("accuracy by bytes",
                "uplink bytes (cumulative)", "test accuracy",
                series.Select(s => new ChartSeries(s.Run.Name, s.Color, ByteTotals.AccuracyByUplink(s.Run.Metrics), s.Dashed)).ToList(),
                xFormat: Html.DecimalBytes, logX: true));
        }
        sb.Append("<h2>Run folders</h2>\n<ul>\n");
        foreach (var f in folders)
        {
            sb.Append("<li><code>").Append(Html.Escape(f.FullPath)).Append("</code></li>\n");
        }
        return sb.Append("</ul>\n</body>\n</html>\n").ToString();
    }

    private static void AppendTable(StringBuilder sb, List<Run> runs)
    {
        sb.Append("<table class=\"summary\">\n<tr><th>run</th><th>rounds</th><th>final test_accuracy</th><th>best test_accuracy</th>")
            .Append("<th>rounds_to_target</th><th>uplink bytes</th><th>downlink bytes</th></tr>\n");
        foreach (var run in runs)
        {
            var up = ByteTotals.Uplink(run.Metrics);
            var down = ByteTotals.Downlink(run.Metrics);
            sb.Append("<tr><th>").Append(Html.Escape(run.Name)).Append("</th><td>")
                .Append(Html.Number(run.Metrics.Rows.Count > 0 ? run.Metrics.Rows[^1]["round"] ?? double.NaN : double.NaN)).Append("</td><td>")
                .Append(Cell(run, "final_test_accuracy")).Append("</td><td>")
                .Append(Cell(run, "best_test_accuracy")).Append("</td><td>")
                .Append(Cell(run, "rounds_to_target")).Append("</td><td>")
                .Append(up.Count > 0 ? Html.Bytes(up[^1].Y) : "—").Append("</td><td>")
                .Append(down.Count > 0 ? Html.Bytes(down[^1].Y) : "—").Append("</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static string Cell(Run run, string key) =>
        run.Summary.FirstOrDefault(f => f.Name == key).Value is { } v ? Html.Number(v) : "—";

    private static string Name(RunFolder folder) =>
        Path.GetFileName(folder.FullPath.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    private sealed record Run(string Name, MetricsLog Metrics, IReadOnlyList<(string Name, double? Value)> Summary);
}
