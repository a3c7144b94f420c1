using System.Globalization;
using Cohort.Federated.Data;
using Cohort.Federated.Robustness;
using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>`cohort robustness &lt;experiment.yaml&gt; --aggregators a,b --attacks x,y --byzantine 1,2 [--out DIR] [--set k=v …]`.</summary>
public static class RobustnessCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        var (positional, sets, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("robustness needs an experiment file: cohort robustness <experiment.yaml> --aggregators … --attacks … --byzantine ….");
        }
        var aggregators = List(options.String("aggregators"), "aggregators");
        var attacks = List(options.String("attacks"), "attacks");
        var byzantine = List(options.String("byzantine"), "byzantine").Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b >= 0
                ? b : throw new UsageException($"--byzantine: '{v}' is not a count or a fraction.")).ToList();
        string folder = options.String("out") ?? Path.Combine("runs", "robustness-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        options.RejectUnknown();
        if (File.Exists(Path.Combine(folder, RobustnessTables.CsvFile)))
        {
            throw new IOException($"--out {folder} already holds a robustness grid ({RobustnessTables.CsvFile}); choose another folder.");
        }
        var config = RunCommand.Load(positional[0], sets);
        var data = FederatedData.Load(config);
        int total = aggregators.Count * attacks.Count * byzantine.Count, done = 0;
        var cells = RobustnessGrid.Run(config, data, aggregators, attacks, byzantine, cell =>
        {
            done++;
            string outcome = cell.Error ?? $"test accuracy {cell.TestAccuracy:P1}, honest clients {cell.HonestClientAccuracy:P1}";
            stderr.WriteLine($"[{done}/{total}] {cell.Aggregator} vs {cell.Attack} ({cell.Byzantine} Byzantine): {outcome}");
        });
        RobustnessTables.Write(folder, cells, $"Robustness of {Path.GetFileNameWithoutExtension(positional[0])}");
        stdout.WriteLine(Path.GetFullPath(Path.Combine(folder, RobustnessTables.CsvFile)));
        return 0;
    }

    private static List<string> List(string? value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"robustness needs --{name} (a comma-separated list).")
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
