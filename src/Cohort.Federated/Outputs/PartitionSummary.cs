using System.Globalization;
using System.Text;
using System.Text.Json;
using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Outputs;

/// <summary>One client's share of the data: training and test sizes and the training label histogram.</summary>
internal sealed record ClientShare(int Client, string? Name, int TrainSize, int TestSize, IReadOnlyList<int> TrainLabels);

/// <summary>partition.json: how the data is split among clients; also the table of <c>cohort partition show</c>.</summary>
internal sealed class PartitionSummary
{
    public PartitionSummary(int classes, IReadOnlyList<ClientShare> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        foreach (var c in clients)
        {
            if (c.TrainLabels.Count != classes)
            {
                throw new ArgumentException($"Partition summary: client {c.Client} has {c.TrainLabels.Count} label counts for {classes} classes.");
            }
        }
        Classes = classes;
        Clients = clients;
    }

    public int Classes { get; }

    public IReadOnlyList<ClientShare> Clients { get; }

    public long TrainSamples => Clients.Sum(c => (long)c.TrainSize);

    public long TestSamples => Clients.Sum(c => (long)c.TestSize);

    /// <summary>Summarizes a partition; <paramref name="clientNames"/> (the data's natural clients, indexed by client) is optional.</summary>
    public static PartitionSummary From(Partition partition, Dataset train, IReadOnlyList<string>? clientNames = null)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(train);
        var histograms = partition.LabelHistograms(train);
        var clients = Enumerable.Range(0, partition.Clients)
            .Select(k => new ClientShare(k, clientNames is not null && k < clientNames.Count ? clientNames[k] : null,
                partition.Train[k].Length, partition.Test[k].Length, histograms[k]))
            .ToList();
        return new PartitionSummary(train.Classes, clients);
    }

    /// <summary>Summarizes loaded data; client names are kept for a natural partition, where client k is the data's client k.</summary>
    public static PartitionSummary From(FederatedData data, string partitionKind)
    {
        ArgumentNullException.ThrowIfNull(data);
        return From(data.Partition, data.Train, partitionKind == "natural" ? data.Train.ClientNames : null);
    }

    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>JSON with one line per client, so that a large partition stays readable.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder("{\n");
        sb.Append(CultureInfo.InvariantCulture, $"  \"clients\": {Clients.Count},\n");
        sb.Append(CultureInfo.InvariantCulture, $"  \"classes\": {Classes},\n");
        sb.Append(CultureInfo.InvariantCulture, $"  \"train_samples\": {TrainSamples},\n");
        sb.Append(CultureInfo.InvariantCulture, $"  \"test_samples\": {TestSamples},\n");
        sb.Append("  \"per_client\": [");
        for (int i = 0; i < Clients.Count; i++)
        {
            var c = Clients[i];
            sb.Append(i == 0 ? "\n" : ",\n").Append(CultureInfo.InvariantCulture, $"    {{\"client\": {c.Client}, ");
            if (c.Name is not null)
            {
                sb.Append("\"name\": \"").Append(JsonEncodedText.Encode(c.Name)).Append("\", ");
            }
            sb.Append(CultureInfo.InvariantCulture, $"\"train_size\": {c.TrainSize}, \"test_size\": {c.TestSize}, \"train_labels\": [")
                .AppendJoin(", ", c.TrainLabels.Select(n => n.ToString(CultureInfo.InvariantCulture))).Append("]}");
        }
        return sb.Append(Clients.Count == 0 ? "]\n}\n" : "\n  ]\n}\n").ToString();
    }

    /// <summary>Reads partition.json; a missing or malformed file is an error naming it.</summary>
    public static PartitionSummary Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new RunFileException($"{path} does not exist.");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static PartitionSummary Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            int classes = root.GetProperty("classes").GetInt32();
            var clients = root.GetProperty("per_client").EnumerateArray().Select(c => new ClientShare(
                c.GetProperty("client").GetInt32(),
                c.TryGetProperty("name", out var name) ? name.GetString() : null,
                c.GetProperty("train_size").GetInt32(),
                c.GetProperty("test_size").GetInt32(),
                c.GetProperty("train_labels").EnumerateArray().Select(n => n.GetInt32()).ToArray())).ToList();
            return new PartitionSummary(classes, clients);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new RunFileException($"{source}: not a valid partition summary: {e.Message}", e);
        }
    }

    /// <summary>
    /// The partition as a text table: a row per client with its sizes and label counts, then the totals.
    /// With more than <paramref name="maxLabelColumns"/> classes, the labels collapse to a count of the
    /// labels present and the three most frequent.
    /// </summary>
    public string Render(int maxLabelColumns = 20)
    {
        bool wide = Classes <= maxLabelColumns;
        var header = new List<string> { "client", "train", "test" };
        header.AddRange(wide ? Enumerable.Range(0, Classes).Select(l => l.ToString(CultureInfo.InvariantCulture)) : ["labels", "most frequent (label:count)"]);
        var rows = Clients.Select(c => Row(c.Name is null ? Num(c.Client) : $"{Num(c.Client)} {c.Name}", c.TrainSize, c.TestSize, c.TrainLabels, wide)).ToList();
        var totals = Enumerable.Range(0, Classes).Select(l => Clients.Sum(c => c.TrainLabels[l])).ToArray();
        rows.Add(Row("total", (int)TrainSamples, (int)TestSamples, totals, wide));

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Clients.Count} clients, {Classes} classes, {TrainSamples} training and {TestSamples} test samples\n");
        AppendRow(sb, header, widths, textLast: !wide);
        foreach (var row in rows)
        {
            AppendRow(sb, row, widths, textLast: !wide);
        }
        return sb.ToString();
    }

    private static List<string> Row(string client, int train, int test, IReadOnlyList<int> labels, bool wide)
    {
        var row = new List<string> { client, Num(train), Num(test) };
        if (wide)
        {
            row.AddRange(labels.Select(Num));
        }
        else
        {
            row.Add(Num(labels.Count(n => n > 0)));
            row.Add(string.Join(' ', labels.Select((n, l) => (n, l)).Where(p => p.n > 0).OrderByDescending(p => p.n).ThenBy(p => p.l).Take(3).Select(p => $"{Num(p.l)}:{Num(p.n)}")));
        }
        return row;
    }

    private static void AppendRow(StringBuilder sb, IReadOnlyList<string> cells, int[] widths, bool textLast)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            // Text columns read left to right; the counts line up on the right.
            bool text = i == 0 || (textLast && i == cells.Count - 1);
            line.Append(i == 0 ? "" : "  ").Append(text ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
