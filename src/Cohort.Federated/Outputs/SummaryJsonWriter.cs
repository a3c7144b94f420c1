using System.Text;
using System.Text.Json;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Outputs;

/// <summary>summary.json, written atomically when the run ends: the headline figures, null where a figure is absent.</summary>
internal sealed class SummaryJsonWriter(string path) : IRunCallback
{
    public string Path { get; } = path;

    public void OnRound(RoundMetrics metrics)
    {
    }

    public void OnEnd(RunSummary summary) => AtomicFile.WriteAllText(Path, ToJson(summary));

    public static string ToJson(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        (string Name, string Value)[] fields =
        [
            ("final_test_accuracy", MetricText.Json(summary.FinalTestAccuracy)),
            ("best_test_accuracy", MetricText.Json(summary.BestTestAccuracy)),
            ("rounds_to_target", MetricText.Json(summary.RoundsToTarget)),
            ("target_accuracy", MetricText.Json(summary.TargetAccuracy)),
            ("rounds", MetricText.Json(summary.RoundsRun)),
            ("total_seconds", MetricText.Json(summary.TotalSeconds)),
            ("training_seconds", MetricText.Json(summary.TrainingSeconds)),
            .. summary.Statements.Select(s => (s.Key, "\"" + JsonEncodedText.Encode(s.Value) + "\"")),
        ];
        var sb = new StringBuilder("{\n");
        for (int i = 0; i < fields.Length; i++)
        {
            sb.Append("  \"").Append(JsonEncodedText.Encode(fields[i].Name)).Append("\": ").Append(fields[i].Value)
                .Append(i + 1 < fields.Length ? ",\n" : "\n");
        }
        return sb.Append("}\n").ToString();
    }
}
