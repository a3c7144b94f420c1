using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Robustness;

/// <summary>One cell of a robustness grid: an aggregator against an attack by a number of Byzantine clients.</summary>
internal sealed record RobustnessCell(string Aggregator, string Attack, double Byzantine, double TestAccuracy, double HonestClientAccuracy, double Seconds, string? Error)
{
    /// <summary>The mean over the evaluated rounds of the share of vectors the clipping rules shortened (NaN: no clipping rule).</summary>
    public double ClippedFraction { get; init; } = double.NaN;
}

/// <summary>
/// Runs an experiment once per (aggregator, attack, Byzantine count) on the same data and partition.
/// A cell whose rule cannot run (Krum with too few clients) is recorded with its reason, not fatal.
/// </summary>
internal static class RobustnessGrid
{
    public static IReadOnlyList<RobustnessCell> Run(ExperimentConfig config, FederatedData data, IReadOnlyList<string> aggregators,
        IReadOnlyList<string> attacks, IReadOnlyList<double> byzantine, Action<RobustnessCell>? onCell = null)
    {
        // Validate the whole grid before spending time on any cell.
        var grid = new ConfigGrid(
        [
            new GridAxis("attack.byzantine", byzantine.Select(b => b.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToList()),
            new GridAxis("attack.name", attacks),
            new GridAxis("aggregator.name", aggregators),
        ]);
        var common = config.Clone();
        common.Set("eval.clients", "false");
        var settings = grid.Expand(common).Select(p => p.Config).ToList();
        var cells = new List<RobustnessCell>();
        foreach (var cell in settings)
        {
            string aggregator = cell.Get("aggregator.name"), attack = cell.Get("attack.name");
            double b = cell.GetDouble("attack.byzantine");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            RobustnessCell result;
            try
            {
                using var simulation = new FederatedRun(Experiment.From(cell), data);
                var summary = simulation.Run();
                var clipped = simulation.History.Where(m => m.Extra.ContainsKey(ClippingMeter.Metric)).Select(m => m.Extra[ClippingMeter.Metric]).ToList();
                result = new RobustnessCell(aggregator, attack, b, summary.FinalTestAccuracy, simulation.HonestClientAccuracy(), clock.Elapsed.TotalSeconds, null)
                {
                    ClippedFraction = clipped.Count > 0 ? clipped.Average() : double.NaN,
                };
            }
            catch (Exception e) when (e is Aggregation.Robust.RobustAggregationException or ConfigException)
            {
                result = new RobustnessCell(aggregator, attack, b, double.NaN, double.NaN, clock.Elapsed.TotalSeconds, e.Message);
            }
            cells.Add(result);
            onCell?.Invoke(result);
        }
        return cells;
    }
}
