using System.Globalization;
using Cohort.Tensors;

namespace Cohort.Data.Formats;

/// <summary>
/// Tabular data from CSV: one label column (integers 0..C−1), an optional client-id column (any text;
/// gives a natural partition), every other column a numeric feature. A first row that is not numeric
/// is taken as the header, and columns may then be named; otherwise they are given by 0-based index.
/// </summary>
public static class CsvData
{
    public static Dataset Load(string path, string label = "label", string? client = null, int? classes = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such CSV file.", path);
        }
        var lines = File.ReadLines(path).Select((text, index) => (text, number: index + 1)).Where(l => l.text.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new DataFormatException($"{path}: the file is empty.");
        }
        string[] first = Split(lines[0].text);
        bool header = first.Any(cell => !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        int width = first.Length;
        int labelColumn = Column(path, first, header, label, "label");
        int clientColumn = client is null ? -1 : Column(path, first, header, client, "client");
        int featureCount = width - 1 - (clientColumn >= 0 ? 1 : 0);
        if (featureCount < 1)
        {
            throw new DataFormatException($"{path}: no feature columns besides the label{(clientColumn >= 0 ? " and client" : "")} column.");
        }

        var features = new List<float>();
        var labels = new List<int>();
        var clientIds = new List<int>();
        var clientIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var clientNames = new List<string>();
        foreach (var (text, number) in lines.Skip(header ? 1 : 0))
        {
            string[] cells = Split(text);
            if (cells.Length != width)
            {
                throw new DataFormatException($"{path}, line {number}: {cells.Length} columns, expected {width}.");
            }
            for (int c = 0; c < width; c++)
            {
                if (c == clientColumn)
                {
                    if (!clientIndex.TryGetValue(cells[c], out int id))
                    {
                        id = clientNames.Count;
                        clientIndex[cells[c]] = id;
                        clientNames.Add(cells[c]);
                    }
                    clientIds.Add(id);
                }
                else if (c == labelColumn)
                {
                    if (!int.TryParse(cells[c], NumberStyles.Integer, CultureInfo.InvariantCulture, out int y) || y < 0)
                    {
                        throw new DataFormatException($"{path}, line {number}, column {c + 1}: label '{cells[c]}' is not a non-negative integer.");
                    }
                    labels.Add(y);
                }
                else
                {
                    if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    {
                        throw new DataFormatException($"{path}, line {number}, column {c + 1}: '{cells[c]}' is not a finite number.");
                    }
                    features.Add(v);
                }
            }
        }
        int classCount = classes ?? (labels.Count == 0 ? 1 : labels.Max() + 1);
        int tooLarge = labels.FindIndex(y => y >= classCount);
        if (tooLarge >= 0)
        {
            throw new DataFormatException($"{path}: label {labels[tooLarge]} of data row {tooLarge + 1} is not below the {classCount} classes.");
        }
        return new Dataset(Path.GetFileNameWithoutExtension(path), [.. features], new Shape(featureCount), [.. labels], classCount,
            clientColumn >= 0 ? [.. clientIds] : null, clientColumn >= 0 ? clientNames : null);
    }

    private static int Column(string path, string[] first, bool header, string spec, string role)
    {
        if (header)
        {
            int named = Array.FindIndex(first, h => string.Equals(h.Trim(), spec, StringComparison.Ordinal));
            if (named >= 0)
            {
                return named;
            }
        }
        if (int.TryParse(spec, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < first.Length)
        {
            return index;
        }
        throw new DataFormatException(header
            ? $"{path}: no {role} column '{spec}'; the header has: {string.Join(", ", first)}."
            : $"{path}: {role} column '{spec}' must be a 0-based index below {first.Length} (the file has no header).");
    }

    // Fields are comma-separated; double quotes may enclose commas, "" is a quote.
    internal static string[] Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }
}
