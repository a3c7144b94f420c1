using System.Text.Json;
using Cohort.Federated.Metrics;

namespace Cohort.Cli;

/// <summary>Passes on only rounds after <paramref name="lastWritten"/>: a resumed run that redoes its open round does not write that round twice.</summary>
public sealed class FromRound(int lastWritten, IRunCallback inner) : IRunCallback
{
    public void OnStart(RunInfo info) => inner.OnStart(info);

    public void OnRound(RoundMetrics metrics)
    {
        if (metrics.Round > lastWritten)
        {
            inner.OnRound(metrics);
        }
    }

    public void OnEnd(RunSummary summary) => inner.OnEnd(summary);
}

/// <summary>The last round a metrics.jsonl holds (0 when none); a line cut short by a crash is skipped.</summary>
public static class ResumedMetrics
{
    public static int LastRound(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        int last = 0;
        foreach (string line in File.ReadLines(path))
        {
            try
            {
                using var row = JsonDocument.Parse(line);
                if (row.RootElement.TryGetProperty("round", out var round) && round.TryGetInt32(out int r))
                {
                    last = Math.Max(last, r);
                }
            }
            catch (JsonException)
            {
                // An unfinished last line.
            }
        }
        return last;
    }
}
