using System.Text.Json;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class MetricsWriterTests
{
    [Fact]
    public void JsonlHasOneObjectPerRoundWithKeysInFieldOrder()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("metrics.jsonl");
        var rounds = new[] { SampleRun.Round(1, 0.5), SampleRun.Round(2, 0.75) };
        rounds[1].Extra["zeta2"] = 3.5;
        rounds[1].Extra["drift"] = 0.125;
        using (var writer = new MetricsJsonlWriter(path))
        {
            foreach (var r in rounds)
            {
                writer.OnRound(r);
            }
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(rounds[i].Fields().Select(f => f.Name), doc.RootElement.EnumerateObject().Select(p => p.Name));
        }
        Assert.StartsWith("{\"round\":2,\"test_accuracy\":0.75,\"test_loss\":1,\"train_loss\":0.75,\"seconds\":0.5,\"eval_seconds\":0.125,\"bytes_up\":2000,\"bytes_down\":4000000000,\"clients\":10,", lines[1]);
        Assert.EndsWith("\"drift\":0.125,\"zeta2\":3.5}", lines[1]);
    }

    [Fact]
    public void NaNIsNullAndIntegersHaveNoDecimals()
    {
        string line = MetricsJsonlWriter.ToJson(SampleRun.Round(3, double.NaN));
        Assert.Contains("\"test_accuracy\":null", line, StringComparison.Ordinal);
        Assert.Contains("\"client_accuracy_mean\":null", line, StringComparison.Ordinal);
        Assert.Contains("\"round\":3,", line, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", line, StringComparison.Ordinal);
        Assert.DoesNotContain(".0,", line, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("test_accuracy").ValueKind);
    }

    [Fact]
    public void NumbersAreInvariantAndRoundTrip()
    {
        Assert.Equal("0.1", MetricText.Format(0.1));
        Assert.Equal("-3", MetricText.Format(-3.0));
        Assert.Equal("1E-07", MetricText.Format(1e-7));
        Assert.Null(MetricText.Format(double.PositiveInfinity));
        double x = 1.0 / 3;
        Assert.Equal(x, double.Parse(MetricText.Format(x)!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void CsvHasHeaderFromFirstRowThenOneLinePerRound()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("metrics.csv");
        var first = SampleRun.Round(1, 0.5, 0.45);
        first.Extra["drift"] = 0.25;
        var second = SampleRun.Round(2, double.NaN);
        second.Extra["other"] = 9;
        using (var writer = new MetricsCsvWriter(path))
        {
            writer.OnRound(first);
            writer.OnRound(second);
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Join(',', first.Fields().Select(f => f.Name)), lines[0]);
        Assert.StartsWith("1,0.5,2,1.5,0.25,0.125,1000,4000000000,10,0.45,", lines[1], StringComparison.Ordinal);
        Assert.Equal(string.Join(',', first.Fields().Select(f => MetricText.Format(f.Value))), lines[1]);
        // NaN is an empty cell; a field the header lacks is left out, a column the row lacks is empty.
        Assert.Equal("2,,1,0.75,0.5,0.125,2000,4000000000,10,,,,,", lines[2]);
    }

    [Fact]
    public void ReopenedWritersAppendWithoutLosingRoundsOrRepeatingTheHeader()
    {
        using var temp = new TempFolder();
        string jsonl = temp.Combine("metrics.jsonl"), csv = temp.Combine("metrics.csv");
        for (int r = 1; r <= 2; r++)
        {
            using var j = new MetricsJsonlWriter(jsonl);
            using var c = new MetricsCsvWriter(csv);
            j.OnRound(SampleRun.Round(r, 0.5));
            c.OnRound(SampleRun.Round(r, 0.5));
        }
        Assert.Equal([1.0, 2.0], MetricsLog.Read(jsonl).Series("round").Select(p => p.Round));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("round,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("2,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void EachRoundIsOnDiskBeforeTheRunEnds()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("metrics.jsonl");
        using var writer = new MetricsJsonlWriter(path);
        writer.OnRound(SampleRun.Round(1, 0.5));
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(read);
        Assert.StartsWith("{\"round\":1,", reader.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void AppendingAfterALineCutShortStartsANewLine()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("metrics.jsonl");
        File.WriteAllText(path, "{\"round\":1}\n{\"round\":2,\"test_acc");
        using (var writer = new MetricsJsonlWriter(path))
        {
            writer.OnRound(SampleRun.Round(3, 0.5));
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal("{\"round\":2,\"test_acc", lines[1]);
        Assert.StartsWith("{\"round\":3,", lines[2], StringComparison.Ordinal);
        var e = Assert.Throws<RunFileException>(() => MetricsLog.Read(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
