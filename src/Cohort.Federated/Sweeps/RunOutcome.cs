using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Sweeps;

/// <summary>
/// A finished run's figures for a sweep's table: from summary.json the final and best test accuracy;
/// from metrics.jsonl the first evaluated round whose test accuracy reached the target and the uplink
/// bytes spent by then, the run's uplink and downlink bytes, and the mean over its evaluated rounds of
/// the share of updates its clipping rules shortened (NaN where no rule clips). The target is the
/// sweep's own (which stops no run) or else the run's target_accuracy.
/// </summary>
internal sealed record RunOutcome(double FinalTestAccuracy, double BestTestAccuracy, double? TargetAccuracy, double? RoundsToTarget,
    double BytesUp, double BytesDown, double? BytesUpToTarget)
{
    /// <summary>Mean clipped_fraction over the evaluated rounds that report it; NaN where none does.</summary>
    public double ClippedFraction { get; init; } = double.NaN;

    /// <summary>Reads a finished run folder; a missing or malformed file is a <see cref="RunFileException"/> naming it.</summary>
    public static RunOutcome Read(RunFolder folder, double? target = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var summary = SummaryFile.Read(folder.SummaryPath).ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
        var metrics = MetricsLog.Read(folder.MetricsJsonlPath);
        var up = ByteTotals.Uplink(metrics);
        var down = ByteTotals.Downlink(metrics);
        target ??= summary.GetValueOrDefault("target_accuracy");
        double? upToTarget = null, roundsToTarget = null;
        if (target is { } t)
        {
            var accuracy = metrics.Series("test_accuracy");
            int hit = accuracy.ToList().FindIndex(p => p.Value >= t);
            if (hit >= 0)
            {
                roundsToTarget = accuracy[hit].Round;
                upToTarget = up[hit].Y;
            }
        }
        return new RunOutcome(
            summary.GetValueOrDefault("final_test_accuracy") ?? double.NaN,
            summary.GetValueOrDefault("best_test_accuracy") ?? double.NaN,
            target,
            roundsToTarget,
            up.Count > 0 ? up[^1].Y : double.NaN,
            down.Count > 0 ? down[^1].Y : double.NaN,
            upToTarget)
        {
            ClippedFraction = metrics.Has(ClippingMeter.Metric) ? metrics.Series(ClippingMeter.Metric).Average(p => p.Value) : double.NaN,
        };
    }
}
