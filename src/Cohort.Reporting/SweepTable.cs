using System.Globalization;
using System.Text;
using Cohort.Federated.Outputs;
using Cohort.Federated.Sweeps;

namespace Cohort.Reporting;

/// <summary>
/// A sweep's results, one row per grid point, as sweep.csv and sweep.md: over the seeds that finished,
/// the mean and sample standard deviation (n − 1) of the final and the best test accuracy, how many
/// seeds reached the target and in how many rounds (mean over those), the uplink bytes spent to reach
/// it, the run's bytes up and down (means), and where a clipping rule ran, the share of updates it
/// clipped (the mean over the evaluated rounds, then over the seeds).
/// </summary>
internal static class SweepTable
{
    public const string CsvFile = "sweep.csv";
    public const string MarkdownFile = "sweep.md";

    public static void Write(string folder, IReadOnlyList<string> keys, IReadOnlyList<SweepRow> rows)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), Csv(keys, rows));
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFile), Markdown(keys, rows));
    }

    public static string Csv(IReadOnlyList<string> keys, IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.AppendJoin(',', keys).Append(keys.Count > 0 ? "," : "")
            .Append("seeds,failed,final_test_accuracy_mean,final_test_accuracy_sample_sd,best_test_accuracy_mean,best_test_accuracy_sample_sd,")
            .Append("target_accuracy,reached_target,rounds_to_target_mean,rounds_to_target_sample_sd,bytes_up_to_target_mean,bytes_up_mean,bytes_down_mean,clipped_fraction_mean\n");
        foreach (var row in rows)
        {
            var final = Stats(row.Runs.Select(r => r.FinalTestAccuracy));
            var best = Stats(row.Runs.Select(r => r.BestTestAccuracy));
            var reached = Reached(row);
            var rounds = Stats(reached.Select(r => r.RoundsToTarget!.Value));
            string[] cells =
            [
                .. row.Point.Values.Select(v => CsvText(v.Value)),
                Count(row.Runs.Count), Count(row.Failed),
                Number(final.Mean), Number(final.Sd), Number(best.Mean), Number(best.Sd),
                Number(Target(row) ?? double.NaN), Target(row) is null ? "" : Count(reached.Count), Number(rounds.Mean), Number(rounds.Sd),
                Number(Stats(reached.Select(r => r.BytesUpToTarget ?? double.NaN)).Mean),
                Number(Stats(row.Runs.Select(r => r.BytesUp)).Mean), Number(Stats(row.Runs.Select(r => r.BytesDown)).Mean),
                Number(Stats(row.Runs.Select(r => r.ClippedFraction)).Mean),
            ];
            sb.AppendJoin(',', cells).Append('\n');
        }
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<string> keys, IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(rows);
        bool targets = rows.Any(r => Target(r) is not null);
        var sb = new StringBuilder("Mean ± sample standard deviation (n − 1) over the seeds that finished");
        sb.Append(targets ? "; rounds and uplink bytes to the target: over the seeds that reached it.\n\n" : ".\n\n");
        var header = keys.Concat(["seeds", "final test accuracy", "best test accuracy"]).ToList();
        if (targets)
        {
            header.AddRange(["target", "rounds to target (reached)", "uplink to target"]);
        }
        header.AddRange(["uplink", "downlink"]);
        bool clipping = rows.Any(r => r.Runs.Any(o => double.IsFinite(o.ClippedFraction)));
        if (clipping)
        {
            header.Add("clipped fraction");
        }
        sb.Append("| ").AppendJoin(" | ", header).Append(" |\n|")
            .AppendJoin("", keys.Select(_ => "---|")).AppendJoin("", header.Skip(keys.Count).Select(_ => "---:|")).Append('\n');
        foreach (var row in rows)
        {
            var cells = row.Point.Values.Select(v => v.Value.Replace("|", "\\|", StringComparison.Ordinal)).ToList();
            cells.Add(row.Failed > 0 ? $"{Count(row.Runs.Count)} ({Count(row.Failed)} failed)" : Count(row.Runs.Count));
            cells.Add(Percent(Stats(row.Runs.Select(r => r.FinalTestAccuracy))));
            cells.Add(Percent(Stats(row.Runs.Select(r => r.BestTestAccuracy))));
            if (targets)
            {
                var reached = Reached(row);
                var rounds = Stats(reached.Select(r => r.RoundsToTarget!.Value));
                cells.Add(Target(row) is { } t ? (t * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "—");
                cells.Add(Target(row) is null ? "—" : $"{MeanSd(rounds, "0.#")} ({Count(reached.Count)}/{Count(row.Runs.Count)})");
                cells.Add(Bytes(Stats(reached.Select(r => r.BytesUpToTarget ?? double.NaN)).Mean));
            }
            cells.Add(Bytes(Stats(row.Runs.Select(r => r.BytesUp)).Mean));
            cells.Add(Bytes(Stats(row.Runs.Select(r => r.BytesDown)).Mean));
            if (clipping)
            {
                cells.Add(MeanSd(Stats(row.Runs.Select(r => r.ClippedFraction)), "0.00"));
            }
            sb.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }
        return sb.ToString();
    }

    /// <summary>Mean and sample standard deviation (n − 1; NaN below two values) of the finite values.</summary>
    public static (double Mean, double Sd, int Count) Stats(IEnumerable<double> values)
    {
        var xs = values.Where(double.IsFinite).ToList();
        if (xs.Count == 0)
        {
            return (double.NaN, double.NaN, 0);
        }
        double mean = xs.Average();
        double sd = xs.Count < 2 ? double.NaN : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
        return (mean, sd, xs.Count);
    }

    private static List<RunOutcome> Reached(SweepRow row) => row.Runs.Where(r => r.RoundsToTarget is not null).ToList();

    /// <summary>The point's target (the same for all its seeds, since the seed is all that differs).</summary>
    private static double? Target(SweepRow row) => row.Runs.Select(r => r.TargetAccuracy).FirstOrDefault(t => t is not null);

    private static string Percent((double Mean, double Sd, int Count) s) =>
        s.Count == 0 ? "—" : MeanSd((s.Mean * 100, s.Sd * 100, s.Count), "0.00") + " %";

    private static string MeanSd((double Mean, double Sd, int Count) s, string format) =>
        s.Count == 0 ? "—"
        : s.Count == 1 ? s.Mean.ToString(format, CultureInfo.InvariantCulture)
        : s.Mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + s.Sd.ToString(format, CultureInfo.InvariantCulture);

    private static string Bytes(double v) => double.IsFinite(v) ? Html.DecimalBytes(v) : "—";

    private static string Number(double v) => MetricText.Format(v) ?? "";

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string CsvText(string v) =>
        v.Any(c => c is ',' or '"' or '\n') ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
}
