using System.Text.RegularExpressions;
using Cohort.Federated.Outputs;
using Cohort.Federated.Tests.Outputs;

namespace Cohort.Reporting.Tests;

public class HtmlReportTests
{
    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [Fact]
    public void ReportHasAChartPerFigureAndNothingFromTheNetwork()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 5, target: 0.6);
        string path = HtmlReport.Write(folder);
        Assert.Equal(folder.ReportPath, path);
        string html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        // Accuracy, loss, bytes, accuracy against bytes, client spread, the extra "drift" field, the partition.
        Assert.Equal(7, Count(html, "<svg"));
        Assert.Equal(7, Count(html, "</svg>"));
        Assert.Contains("test_loss", html, StringComparison.Ordinal);
        Assert.Contains("bytes_up", html, StringComparison.Ordinal);
        Assert.Contains("p10", html, StringComparison.Ordinal);
        Assert.Contains("final_test_accuracy", html, StringComparison.Ordinal);
        Assert.Contains(">target<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FileContentsAreEscaped()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 2,
            config: "dataset:\n  name: '<script>alert(\"x\")</script>'\n",
            partition: SampleRun.Partition(name: "<script>bad()</script>"));
        string html = HtmlReport.Build(folder);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;bad()&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void BaselinesAreExtraAccuracyLinesWhenTheirFoldersExist()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 4);
        string without = HtmlReport.Build(folder);
        Assert.DoesNotContain("centralized baseline", without, StringComparison.Ordinal);

        SampleRun.Write(folder.BaselinePath("centralized"), 4);
        SampleRun.Write(folder.BaselinePath("local"), 4);
        string with = HtmlReport.Build(folder);
        Assert.Contains("centralized baseline", with, StringComparison.Ordinal);
        Assert.Contains("local baseline", with, StringComparison.Ordinal);
        // Each baseline adds one line to the accuracy chart.
        Assert.Equal(Count(without, "<polyline") + 2, Count(with, "<polyline"));
    }

    [Fact]
    public void ManyClientsGiveAHeatMap()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 2, partition: SampleRun.Partition(clients: 120, classes: 10));
        string html = HtmlReport.Build(folder);
        Assert.Contains("heat map", html, StringComparison.Ordinal);
        Assert.Contains("120 clients", html, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolderIsAClearError()
    {
        using var temp = new TempFolder();
        string missing = temp.Combine("no-such-run");
        var e = Assert.Throws<RunFileException>(() => HtmlReport.Write(missing));
        Assert.Equal($"run folder {missing} does not exist.", e.Message);
    }

    [Theory]
    [InlineData("config.yaml")]
    [InlineData("metrics.jsonl")]
    [InlineData("summary.json")]
    [InlineData("partition.json")]
    public void MissingFileIsAnErrorNamingIt(string name)
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 2);
        File.Delete(Path.Combine(folder.FullPath, name));
        var e = Assert.Throws<RunFileException>(() => HtmlReport.Build(folder));
        Assert.Equal($"{Path.Combine(folder.FullPath, name)} does not exist.", e.Message);
    }

    [Fact]
    public void MalformedMetricsLineIsAnErrorNamingFileAndLine()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 2);
        File.AppendAllText(folder.MetricsJsonlPath, "{\"round\": 3, \"test_accuracy\": \"high\"}\n");
        var e = Assert.Throws<RunFileException>(() => HtmlReport.Build(folder));
        Assert.StartsWith($"{folder.MetricsJsonlPath}, line 3: \"test_accuracy\" is String", e.Message, StringComparison.Ordinal);

        File.WriteAllText(folder.MetricsJsonlPath, "not json\n");
        e = Assert.Throws<RunFileException>(() => HtmlReport.Build(folder));
        Assert.StartsWith($"{folder.MetricsJsonlPath}, line 1: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedSummaryIsAnErrorNamingIt()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 2);
        File.WriteAllText(folder.SummaryPath, "{\"rounds\": ");
        var e = Assert.Throws<RunFileException>(() => HtmlReport.Build(folder));
        Assert.StartsWith($"{folder.SummaryPath}: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BaselineWithoutMetricsIsAnErrorNamingTheFile()
    {
        using var temp = new TempFolder();
        var folder = SampleRun.Write(temp.Combine("run"), 2);
        folder.CreateBaseline("local");
        var e = Assert.Throws<RunFileException>(() => HtmlReport.Build(folder));
        Assert.Contains(Path.Combine("baselines", "local", "metrics.jsonl"), e.Message, StringComparison.Ordinal);
    }
}
