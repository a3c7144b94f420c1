using Cohort.Federated.Outputs;

namespace Cohort.Federated.Sweeps;

/// <summary>
/// A finished run's figures for a sweep's table: from summary.json the final and best test accuracy,
/// the target and the rounds to reach it; from metrics.jsonl the run's uplink and downlink bytes, and
/// the uplink bytes spent when the test accuracy first reached the target.
/// </summary>
public sealed record RunOutcome(double FinalTestAccuracy, double BestTestAccuracy, double? TargetAccuracy, double? RoundsToTarget,
    double BytesUp, double BytesDown, double? BytesUpToTarget)
{
    /// <summary>Reads a finished run folder; a missing or malformed file is a <see cref="RunFileException"/> naming it.</summary>
    public static RunOutcome Read(RunFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var summary = SummaryFile.Read(folder.SummaryPath).ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
        var metrics = MetricsLog.Read(folder.MetricsJsonlPath);
        var up = ByteTotals.Uplink(metrics);
        var down = ByteTotals.Downlink(metrics);
        double? target = summary.GetValueOrDefault("target_accuracy");
        double? upToTarget = null;
        if (target is { } t)
        {
            int hit = metrics.Series("test_accuracy").ToList().FindIndex(p => p.Value >= t);
            upToTarget = hit >= 0 ? up[hit].Y : null;
        }
        return new RunOutcome(
            summary.GetValueOrDefault("final_test_accuracy") ?? double.NaN,
            summary.GetValueOrDefault("best_test_accuracy") ?? double.NaN,
            target,
            summary.GetValueOrDefault("rounds_to_target"),
            up.Count > 0 ? up[^1].Y : double.NaN,
            down.Count > 0 ? down[^1].Y : double.NaN,
            upToTarget);
    }
}
