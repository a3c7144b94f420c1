using System.Text.RegularExpressions;
using Cohort.Federated.Outputs;
using Cohort.Federated.Tests.Outputs;

namespace Cohort.Reporting.Tests;

public class ComparisonReportTests
{
    private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [Fact]
    public void ComparisonHasEveryRunInItsTableAndBothCharts()
    {
        using var temp = new TempFolder();
        var a = SampleRun.Write(temp.Combine("dense"), 5, target: 0.6);
        var b = SampleRun.Write(temp.Combine("<topk>"), 3);
        string path = ComparisonReport.Write([a.FullPath, b.FullPath], temp.Combine("compare.html"));
        string html = File.ReadAllText(path);
        Assert.Equal(2, Count(html, "<svg"));
        Assert.Contains("<th>dense</th>", html, StringComparison.Ordinal);
        // Names come from folders and are escaped like every other text from files.
        Assert.Contains("<th>&lt;topk&gt;</th>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<topk>", html, StringComparison.Ordinal);
        Assert.Contains("uplink bytes (cumulative)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // Each run is one line in each chart.
        Assert.Equal(4, Count(html, "<polyline"));
    }

    [Fact]
    public void MissingRunFolderIsAnErrorNamingIt()
    {
        using var temp = new TempFolder();
        var a = SampleRun.Write(temp.Combine("a"), 2);
        string missing = temp.Combine("missing");
        var e = Assert.Throws<RunFileException>(() => ComparisonReport.Write([a.FullPath, missing], temp.Combine("c.html")));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("c.html")));
    }

    [Fact]
    public void LogAxisSpansWholeDecades()
    {
        var axis = ChartAxis.LogFor([3e5, 2e7, double.NaN, 0, -1]);
        Assert.Equal(1e5, axis.Min, 6);
        Assert.Equal(1e8, axis.Max, 1e-3);
        Assert.Equal(4, axis.Ticks().Count());
        Assert.Equal(1.0 / 3, axis.Fraction(1e6), 12);
        Assert.True(double.IsNaN(axis.Fraction(0)));
        Assert.Equal("1 MB", Html.DecimalBytes(1e6));
        Assert.Equal("10 GB", Html.DecimalBytes(1e10));
        Assert.Equal("1.5 KiB", Html.Bytes(1536));
        var single = ChartAxis.LogFor([1000]);
        Assert.Equal(1000, single.Min, 6);
        Assert.Equal(10000, single.Max, 6);
    }
}
