namespace Cohort.Federated.Metrics;

/// <summary>summary.json: the run's headline figures.</summary>
public sealed record RunSummary(
    double FinalTestAccuracy,
    double BestTestAccuracy,
    int? RoundsToTarget,
    double? TargetAccuracy,
    int RoundsRun,
    double TotalSeconds,
    double TrainingSeconds)
{
    /// <summary>What the run states beside its figures (a private run's guarantee, why it stopped early), in order.</summary>
    public IReadOnlyList<(string Key, string Value)> Statements { get; init; } = [];

    public static RunSummary From(IReadOnlyList<RoundMetrics> rounds, double? target, double totalSeconds, double trainingSeconds, int roundsRun)
    {
        var last = rounds.Count > 0 ? rounds[^1] : null;
        int? toTarget = target is null ? null : rounds.FirstOrDefault(r => r.TestAccuracy >= target)?.Round;
        return new RunSummary(
            last?.TestAccuracy ?? double.NaN,
            rounds.Count == 0 ? double.NaN : rounds.Max(r => r.TestAccuracy),
            toTarget,
            target,
            roundsRun,
            totalSeconds,
            trainingSeconds);
    }
}
