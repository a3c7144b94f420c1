using System.Text;
using Cohort.Federated.Outputs;

namespace Cohort.Reporting;

/// <summary>
/// report.html: one self-contained page built from a run folder's files (config.yaml, metrics.jsonl,
/// summary.json, partition.json, and the baselines' metrics.jsonl where their folders exist). CSS and
/// SVG charts are inline; the page loads nothing and runs no script. Everything from the files is escaped.
/// </summary>
internal static class HtmlReport
{
    private const string RunColor = "#1f77b4", CentralizedColor = "#2ca02c", LocalColor = "#d62728", TargetColor = "#7f7f7f";

    /// <summary>The metric fields every run has, which get the fixed charts; any others get a chart each.</summary>
    private static readonly HashSet<string> Standard = new(StringComparer.Ordinal)
    {
        "round", "test_accuracy", "test_loss", "train_loss", "seconds", "eval_seconds", "bytes_up", "bytes_down", "clients",
        "client_accuracy_mean", "client_accuracy_std", "client_accuracy_p10", "client_accuracy_worst",
    };

    /// <summary>Builds report.html in the run folder at <paramref name="path"/> and returns the report's path.</summary>
    public static string Write(string path) => Write(RunFolder.Open(path));

    public static string Write(RunFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        AtomicFile.WriteAllText(folder.ReportPath, Build(folder));
        return folder.ReportPath;
    }

    /// <summary>The report's HTML; a missing or malformed file is a <see cref="RunFileException"/> naming it.</summary>
    public static string Build(RunFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string config = ReadText(folder.ConfigPath);
        var metrics = MetricsLog.Read(folder.MetricsJsonlPath);
        var summary = SummaryFile.Read(folder.SummaryPath);
        var partition = PartitionSummary.Read(folder.PartitionPath);
        var baselines = folder.ExistingBaselines().Select(b => (b.Mode, Log: MetricsLog.Read(b.Folder.MetricsJsonlPath))).ToList();

        string name = Path.GetFileName(folder.FullPath.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Cohort run ").Append(Html.Escape(name)).Append("</title>\n<style>").Append(ReportStyle.Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>Cohort run <code>").Append(Html.Escape(name)).Append("</code></h1>\n")
            .Append("<p class=\"path\">").Append(Html.Escape(folder.FullPath)).Append("</p>\n");
        AppendSummary(sb, summary, baselines);
        AppendCharts(sb, metrics, summary, baselines);
        AppendPartition(sb, partition);
        sb.Append("<h2>Resolved config</h2>\n<pre class=\"config\">").Append(Html.Escape(config)).Append("</pre>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void AppendSummary(StringBuilder sb, IReadOnlyList<(string Name, double? Value)> summary, List<(string Mode, MetricsLog Log)> baselines)
    {
        sb.Append("<h2>Summary</h2>\n<table class=\"summary\">\n");
        foreach (var (key, value) in summary)
        {
            sb.Append("<tr><th>").Append(Html.Escape(key)).Append("</th><td>").Append(value is { } v ? Html.Number(v) : "—").Append("</td></tr>\n");
        }
        foreach (var (mode, log) in baselines)
        {
            var accuracy = log.Series("test_accuracy").Select(p => p.Value).Where(double.IsFinite).ToList();
            string final = accuracy.Count > 0 ? Html.Number(accuracy[^1]) : "—", best = accuracy.Count > 0 ? Html.Number(accuracy.Max()) : "—";
            sb.Append("<tr><th>").Append(Html.Escape(mode)).Append(" baseline: final / best test_accuracy</th><td>")
                .Append(final).Append(" / ").Append(best).Append("</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static void AppendCharts(StringBuilder sb, MetricsLog metrics, IReadOnlyList<(string Name, double? Value)> summary, List<(string Mode, MetricsLog Log)> baselines)
    {
        sb.Append("<h2>Rounds</h2>\n");
        if (metrics.Rows.Count == 0)
        {
            sb.Append("<p class=\"note\">metrics.jsonl has no rounds yet.</p>\n");
            return;
        }
        var accuracy = new List<ChartSeries> { new("this run", RunColor, metrics.Series("test_accuracy")) };
        foreach (var (mode, log) in baselines)
        {
            accuracy.Add(new($"{mode} baseline", mode == "centralized" ? CentralizedColor : LocalColor, log.Series("test_accuracy"), Dashed: true));
        }
        if (summary.FirstOrDefault(f => f.Name == "target_accuracy").Value is { } target)
        {
            var rounds = metrics.Series("round").Select(p => p.Round).ToList();
            accuracy.Add(new("target", TargetColor, [(rounds.Min(), target), (rounds.Max(), target)], Dashed: true));
        }
        Figure(sb, "Test accuracy per round", SvgLineChart.Render("test accuracy", "round", "test accuracy", accuracy));

        Figure(sb, "Test and training loss per round", SvgLineChart.Render("loss", "round", "loss",
        [
            new("test_loss", RunColor, metrics.Series("test_loss")),
            new("train_loss", "#ff7f0e", metrics.Series("train_loss")),
        ]));

        Figure(sb, "Bytes sent, cumulative", SvgLineChart.Render("bytes", "round", "bytes (cumulative)",
        [
            new("bytes_up", "#9467bd", ByteTotals.Uplink(metrics)),
            new("bytes_down", "#8c564b", ByteTotals.Downlink(metrics)),
        ], Html.Bytes));

        Figure(sb, "Test accuracy against the bytes clients sent (cumulative, logarithmic axis)", SvgLineChart.Render("accuracy by bytes", "uplink bytes (cumulative)", "test accuracy",
            [new("this run", RunColor, ByteTotals.AccuracyByUplink(metrics))], xFormat: Html.DecimalBytes, logX: true));

        if (metrics.Has("client_accuracy_mean"))
        {
            Figure(sb, "Client accuracy spread per round (each client's test split)", SvgLineChart.Render("client accuracy", "round", "client test accuracy",
            [
                new("mean", RunColor, metrics.Series("client_accuracy_mean")),
                new("p10", "#ff7f0e", metrics.Series("client_accuracy_p10"), Dashed: true),
                new("worst", LocalColor, metrics.Series("client_accuracy_worst"), Dashed: true),
            ]));
        }
        else
        {
            sb.Append("<p class=\"note\">Client accuracy spread: not measured in this run.</p>\n");
        }

        foreach (string field in metrics.Fields.Where(f => !Standard.Contains(f) && metrics.Has(f)))
        {
            Figure(sb, $"{field} per round", SvgLineChart.Render(field, "round", field, [new(field, RunColor, metrics.Series(field))]));
        }
    }

    private static void AppendPartition(StringBuilder sb, PartitionSummary partition)
    {
        const int maxTableClients = 100;
        sb.Append("<h2>Partition</h2>\n");
        string caption = SvgLabelHistogram.UsesBars(partition)
            ? "Training labels per client (stacked by label)"
            : "Training label shares per client (heat map)";
        Figure(sb, caption, SvgLabelHistogram.Render(partition));
        if (partition.Clients.Count <= maxTableClients)
        {
            sb.Append("<pre class=\"table\">").Append(Html.Escape(partition.Render())).Append("</pre>\n");
        }
        else
        {
            sb.Append("<p class=\"note\">").Append(partition.Clients.Count).Append(" clients: the full table is in partition.json.</p>\n");
        }
    }

    internal static void Figure(StringBuilder sb, string caption, string svg) =>
        sb.Append("<figure>\n").Append(svg).Append("\n<figcaption>").Append(Html.Escape(caption)).Append("</figcaption>\n</figure>\n");

    private static string ReadText(string path)
    {
        if (!File.Exists(path))
        {
            throw new RunFileException($"{path} does not exist.");
        }
        return File.ReadAllText(path);
    }
}
