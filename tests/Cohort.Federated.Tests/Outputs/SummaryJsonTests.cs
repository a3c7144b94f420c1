using System.Text.Json;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

public class SummaryJsonTests
{
    [Fact]
    public void HasTheHeadlineFiguresInOrderWithNullWhereAbsent()
    {
        var rounds = new[] { SampleRun.Round(1, 0.5), SampleRun.Round(2, 0.75), SampleRun.Round(3, 0.625) };
        string json = SummaryJsonWriter.ToJson(RunSummary.From(rounds, null, 12.5, 10, 3));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(
            ["final_test_accuracy", "best_test_accuracy", "rounds_to_target", "target_accuracy", "rounds", "total_seconds", "training_seconds"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        var r = doc.RootElement;
        Assert.Equal(0.625, r.GetProperty("final_test_accuracy").GetDouble());
        Assert.Equal(0.75, r.GetProperty("best_test_accuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("rounds_to_target").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("target_accuracy").ValueKind);
        Assert.Equal("3", r.GetProperty("rounds").GetRawText());
        Assert.Equal(12.5, r.GetProperty("total_seconds").GetDouble());
        Assert.Equal("10", r.GetProperty("training_seconds").GetRawText());
    }

    [Fact]
    public void TargetReachedGivesItsRoundAndARunWithoutRoundsHasNullAccuracies()
    {
        var rounds = new[] { SampleRun.Round(1, 0.5), SampleRun.Round(2, 0.75) };
        using (var doc = JsonDocument.Parse(SummaryJsonWriter.ToJson(RunSummary.From(rounds, 0.7, 1, 1, 2))))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("rounds_to_target").GetInt32());
            Assert.Equal(0.7, doc.RootElement.GetProperty("target_accuracy").GetDouble());
        }
        using (var doc = JsonDocument.Parse(SummaryJsonWriter.ToJson(RunSummary.From([], 0.7, 0, 0, 0))))
        {
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("final_test_accuracy").ValueKind);
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("best_test_accuracy").ValueKind);
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("rounds_to_target").ValueKind);
        }
    }

    [Fact]
    public void WriterWritesTheFileWhenTheRunEnds()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("summary.json");
        var writer = new SummaryJsonWriter(path);
        writer.OnRound(SampleRun.Round(1, 0.5));
        Assert.False(File.Exists(path));
        writer.OnEnd(RunSummary.From([SampleRun.Round(1, 0.5)], null, 1, 1, 1));
        Assert.Equal([("final_test_accuracy", (double?)0.5)], SummaryFile.Read(path).Take(1));
    }

    [Fact]
    public void StatementsFollowTheFiguresAsTextThatReadingTheFiguresLeavesOut()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("summary.json");
        var summary = RunSummary.From([SampleRun.Round(1, 0.5)], null, 1, 1, 1) with { Statements = [("privacy_neighbours", "add or remove one client"), ("stopped", "a \"quoted\" reason")] };
        new SummaryJsonWriter(path).OnEnd(summary);
        using (var doc = JsonDocument.Parse(File.ReadAllText(path)))
        {
            Assert.Equal("add or remove one client", doc.RootElement.GetProperty("privacy_neighbours").GetString());
            Assert.Equal("a \"quoted\" reason", doc.RootElement.GetProperty("stopped").GetString());
        }
        Assert.Equal(["final_test_accuracy", "best_test_accuracy", "rounds_to_target", "target_accuracy", "rounds", "total_seconds", "training_seconds"], SummaryFile.Read(path).Select(f => f.Name));
    }
}
