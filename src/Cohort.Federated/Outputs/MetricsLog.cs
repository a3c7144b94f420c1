using System.Text.Json;

namespace Cohort.Federated.Outputs;

/// <summary>metrics.jsonl read back: each round's fields (null where the file has null), and the field names in first-seen order.</summary>
internal sealed class MetricsLog
{
    private MetricsLog(IReadOnlyList<string> fields, IReadOnlyList<IReadOnlyDictionary<string, double?>> rows)
    {
        Fields = fields;
        Rows = rows;
    }

    public IReadOnlyList<string> Fields { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, double?>> Rows { get; }

    /// <summary>Reads a metrics.jsonl; a missing file, or a line that is not an object of numbers and nulls with a round, is an error naming the file and line.</summary>
    public static MetricsLog Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new RunFileException($"{path} does not exist.");
        }
        return Parse(File.ReadLines(path), path);
    }

    public static MetricsLog Parse(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var fields = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<IReadOnlyDictionary<string, double?>>();
        int number = 0;
        foreach (string line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var row = ParseLine(line, $"{source}, line {number}");
            foreach (string name in row.Keys)
            {
                if (seen.Add(name))
                {
                    fields.Add(name);
                }
            }
            rows.Add(row);
        }
        return new MetricsLog(fields, rows);
    }

    /// <summary>A field's values by round, NaN where a round has it null or lacks it.</summary>
    public IReadOnlyList<(double Round, double Value)> Series(string field) =>
        Rows.Select(r => (r["round"]!.Value, r.TryGetValue(field, out double? v) && v is { } x ? x : double.NaN)).ToList();

    /// <summary>Whether any round has a number for the field.</summary>
    public bool Has(string field) => Rows.Any(r => r.TryGetValue(field, out double? v) && v is not null);

    private static Dictionary<string, double?> ParseLine(string line, string where)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new RunFileException($"{where}: not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RunFileException($"{where}: expected a JSON object, found {doc.RootElement.ValueKind}.");
            }
            // Insertion order is the file's order, which is the order the report shows.
            var row = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                row[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.Null => null,
                    _ => throw new RunFileException($"{where}: \"{p.Name}\" is {p.Value.ValueKind}, expected a number or null."),
                };
            }
            if (!row.TryGetValue("round", out double? round) || round is null)
            {
                throw new RunFileException($"{where}: no \"round\" number.");
            }
            return row;
        }
    }
}
