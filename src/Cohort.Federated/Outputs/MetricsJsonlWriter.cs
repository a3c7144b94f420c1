using System.Text;
using System.Text.Json;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Outputs;

/// <summary>metrics.jsonl: one JSON object per evaluated round, keys in <see cref="RoundMetrics.Fields"/> order, appended and flushed as each round ends.</summary>
internal sealed class MetricsJsonlWriter(string path) : IRunFileWriter
{
    private AppendOnlyFile? _file;

    public string Path { get; } = path;

    public void OnRound(RoundMetrics metrics)
    {
        _file ??= new AppendOnlyFile(Path);
        _file.WriteLine(ToJson(metrics));
    }

    public void OnEnd(RunSummary summary) => Dispose();

    /// <summary>One round as a single-line JSON object (NaN as null).</summary>
    public static string ToJson(RoundMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var sb = new StringBuilder("{");
        foreach (var (name, value) in metrics.Fields())
        {
            if (sb.Length > 1)
            {
                sb.Append(',');
            }
            sb.Append('"').Append(JsonEncodedText.Encode(name)).Append("\":").Append(MetricText.Json(value));
        }
        return sb.Append('}').ToString();
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
