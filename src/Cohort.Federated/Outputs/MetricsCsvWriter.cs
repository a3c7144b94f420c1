using Cohort.Federated.Metrics;

namespace Cohort.Federated.Outputs;

/// <summary>
/// metrics.csv: a header from the first row's fields, then one row per evaluated round, appended and
/// flushed as each round ends. The columns stay those of the header (the file's own, when appending
/// to one): a later field without a column is left out, a column without a value is empty, and so is NaN.
/// </summary>
internal sealed class MetricsCsvWriter(string path) : IRunFileWriter
{
    private AppendOnlyFile? _file;
    private string[]? _columns;

    public string Path { get; } = path;

    public void OnRound(RoundMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var fields = metrics.Fields().ToList();
        if (_file is null)
        {
            _file = new AppendOnlyFile(Path);
            _columns = _file.WasEmpty ? null : ReadHeader(Path);
            if (_columns is null)
            {
                _columns = fields.Select(f => f.Name).ToArray();
                _file.WriteLine(string.Join(',', _columns.Select(Quote)));
            }
        }
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            values.TryAdd(name, value);
        }
        _file.WriteLine(string.Join(',', _columns!.Select(c => values.TryGetValue(c, out double v) ? MetricText.Format(v) ?? "" : "")));
    }

    public void OnEnd(RunSummary summary) => Dispose();

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private static string[]? ReadHeader(string path)
    {
        string? first = File.ReadLines(path).FirstOrDefault();
        return string.IsNullOrWhiteSpace(first) ? null : first.Split(',').Select(c => c.Trim('"')).ToArray();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
