using System.Text.Json;
using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Outputs;
using Cohort.Tensors;

namespace Cohort.Federated.Tests.Outputs;

public class PartitionSummaryTests
{
    private static PartitionSummary FromData()
    {
        int[] labels = [0, 1, 2, 0, 0, 1];
        var train = new Dataset("toy", new float[labels.Length], new Shape(1), labels, 3);
        var partition = new Partition([[0, 1, 2], [3, 4], [5]], [[0], [], [1, 2]]);
        return PartitionSummary.From(partition, train, ["alice", "bob", "carol"]);
    }

    [Fact]
    public void CountsSizesAndTrainingLabelsPerClient()
    {
        var p = FromData();
        Assert.Equal(3, p.Classes);
        Assert.Equal([3, 2, 1], p.Clients.Select(c => c.TrainSize));
        Assert.Equal([1, 0, 2], p.Clients.Select(c => c.TestSize));
        Assert.Equal([1, 1, 1], p.Clients[0].TrainLabels);
        Assert.Equal([2, 0, 0], p.Clients[1].TrainLabels);
        Assert.Equal([0, 1, 0], p.Clients[2].TrainLabels);
        Assert.Equal("bob", p.Clients[1].Name);
    }

    [Fact]
    public void JsonHasPerClientSizesAndHistogramsAndReadsBack()
    {
        var p = FromData();
        string json = p.ToJson();
        using (var doc = JsonDocument.Parse(json))
        {
            var root = doc.RootElement;
            Assert.Equal(3, root.GetProperty("clients").GetInt32());
            Assert.Equal(6, root.GetProperty("train_samples").GetInt32());
            Assert.Equal(3, root.GetProperty("test_samples").GetInt32());
            var second = root.GetProperty("per_client")[1];
            Assert.Equal("bob", second.GetProperty("name").GetString());
            Assert.Equal(2, second.GetProperty("train_size").GetInt32());
            Assert.Equal(0, second.GetProperty("test_size").GetInt32());
            Assert.Equal([2, 0, 0], second.GetProperty("train_labels").EnumerateArray().Select(e => e.GetInt32()));
        }
        var back = PartitionSummary.Parse(json, "partition.json");
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void RenderShowsARowPerClientAndTotals()
    {
        string text = FromData().Render();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("3 clients, 3 classes, 6 training and 3 test samples", lines[0]);
        Assert.Equal(["client", "train", "test", "0", "1", "2"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["1", "bob", "2", "0", "2", "0", "0"], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["total", "6", "3", "3", "2", "1"], lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
    }

    [Fact]
    public void RenderWithManyClassesListsTheMostFrequentLabels()
    {
        var p = new PartitionSummary(30, [new ClientShare(0, null, 12, 1, Enumerable.Range(0, 30).Select(l => l switch { 4 => 5, 9 => 4, 17 => 2, 20 => 1, _ => 0 }).ToArray())]);
        var lines = p.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("most frequent", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("4  4:5 9:4 17:2", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedFileIsAnErrorNamingIt()
    {
        var e = Assert.Throws<RunFileException>(() => PartitionSummary.Parse("{\"classes\": 3}", "run/partition.json"));
        Assert.StartsWith("run/partition.json:", e.Message, StringComparison.Ordinal);
    }
}
