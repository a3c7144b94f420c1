using System.Text.Json;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Checkpoints;

/// <summary>What a resumed run reads back from its metrics.jsonl; a line cut short by a crash is skipped.</summary>
internal static class ResumedMetrics
{
    /// <summary>The last round the file holds (0 when none).</summary>
    public static int LastRound(string path) => Rows(path).Select(r => r.Round).DefaultIfEmpty(0).Max();

    /// <summary>The rounds up to <paramref name="round"/> with what the run's summary needs of them (round, test accuracy and loss), each once.</summary>
    public static IReadOnlyList<RoundMetrics> Through(string path, int round) =>
        Rows(path).Where(r => r.Round <= round).DistinctBy(r => r.Round).OrderBy(r => r.Round).ToList();

    private static IEnumerable<RoundMetrics> Rows(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }
        foreach (string line in File.ReadLines(path))
        {
            RoundMetrics? row = null;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("round", out var round) && round.TryGetInt32(out int r))
                {
                    row = new RoundMetrics { Round = r, TestAccuracy = Number(root, "test_accuracy"), TestLoss = Number(root, "test_loss") };
                }
            }
            catch (JsonException)
            {
                // An unfinished last line.
            }
            if (row is not null)
            {
                yield return row;
            }
        }
    }

    private static double Number(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.TryGetDouble(out double v) ? v : double.NaN;
}
