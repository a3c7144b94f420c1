using System.Globalization;
using Cohort.Federated.Config;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Sweeps;

/// <summary>
/// Picks a sweep's grid point (λ, fine-tuning steps, …) by a validation metric (personal_val_accuracy_mean
/// of partition.validation's splits): the point whose runs' last evaluated value, averaged over seeds, is
/// highest. Test metrics are refused, so no hyperparameter is tuned on test data.
/// </summary>
internal static class ValidationSelection
{
    /// <summary>What every validation metric's name holds (personal_val_accuracy_mean).</summary>
    public const string Marker = "_val_";

    /// <summary>Throws a <see cref="ConfigException"/> unless <paramref name="metric"/> is measured on validation splits.</summary>
    public static void Check(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!metric.Contains(Marker, StringComparison.Ordinal))
        {
            throw new ConfigException($"--select {metric}: a hyperparameter is chosen by a validation metric (e.g. personal_val_accuracy_mean, with partition.validation), never by a test one.");
        }
    }

    /// <summary>The point of the highest mean final <paramref name="metric"/> over its runs (the first of equals), and that mean.</summary>
    public static (GridPoint Point, double Mean) Best(IReadOnlyList<(GridPoint Point, IReadOnlyList<MetricsLog> Runs)> points, string metric)
    {
        ArgumentNullException.ThrowIfNull(points);
        Check(metric);
        (GridPoint Point, double Mean)? best = null;
        foreach (var (point, runs) in points)
        {
            var finals = runs.Select(log => log.Series(metric).Select(p => p.Value).LastOrDefault(v => !double.IsNaN(v), double.NaN)).ToList();
            if (finals.Count == 0 || finals.Any(double.IsNaN))
            {
                throw new ConfigException($"--select {metric}: a run of {point} reports no {metric} (set partition.validation, and a method or eval.finetune.* with a personal model).");
            }
            double mean = finals.Average();
            if (best is null || mean > best.Value.Mean)
            {
                best = (point, mean);
            }
        }
        return best ?? throw new ConfigException($"--select {metric}: the sweep has no finished run.");
    }

    /// <summary>The line a sweep prints: the chosen point and its mean.</summary>
    public static string Describe((GridPoint Point, double Mean) choice, string metric) =>
        $"selected by {metric}: {choice.Point} (mean {choice.Mean.ToString("F4", CultureInfo.InvariantCulture)})";
}
