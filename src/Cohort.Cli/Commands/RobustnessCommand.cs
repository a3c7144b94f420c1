using System.CommandLine;
using System.Globalization;
using Cohort.Federated.Partitions;
using Cohort.Federated.Robustness;
using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>`cohort robustness &lt;experiment.yaml&gt; --aggregators a,b --attacks x,y --byzantine 1,2 [--out DIR] [--set k=v …]`.</summary>
internal static class RobustnessCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var file = CliOptions.ExperimentFile();
        var aggregators = CliOptions.RequiredText("--aggregators", "a,b,…", "the aggregators to compare");
        var attacks = CliOptions.RequiredText("--attacks", "x,y,…", "the attacks to run against them");
        var byzantine = CliOptions.RequiredText("--byzantine", "1,2,…", "numbers (or fractions) of Byzantine clients");
        var outDir = CliOptions.Text("--out", "DIR", "the grid's folder (default runs/robustness-<time>)");
        var sets = CliOptions.Sets();
        var command = new Command("robustness", "one run per (aggregator, attack, Byzantine count); DIR/robustness.csv, .md and report.html")
        {
            file, aggregators, attacks, byzantine, outDir, sets,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(sets),
            List(parse.GetValue(aggregators), "aggregators"), List(parse.GetValue(attacks), "attacks"), List(parse.GetValue(byzantine), "byzantine"),
            parse.GetValue(outDir), io));
        return command;
    }

    private static int Run(string path, string[] sets, List<string> aggregators, List<string> attacks, List<string> byzantineCounts, string? outDir, CommandIo io)
    {
        var byzantine = byzantineCounts.Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b >= 0
                ? b : throw new UsageException($"--byzantine: '{v}' is not a count or a fraction.")).ToList();
        string folder = outDir ?? Path.Combine("runs", "robustness-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        if (File.Exists(Path.Combine(folder, RobustnessTables.CsvFile)))
        {
            throw new IOException($"--out {folder} already holds a robustness grid ({RobustnessTables.CsvFile}); choose another folder.");
        }
        var config = RunCommand.Load(path, sets);
        var data = FederatedData.Load(config);
        int total = aggregators.Count * attacks.Count * byzantine.Count, done = 0;
        var cells = RobustnessGrid.Run(config, data, aggregators, attacks, byzantine, cell =>
        {
            done++;
            string outcome = cell.Error ?? $"test accuracy {cell.TestAccuracy:P1}, honest clients {cell.HonestClientAccuracy:P1}";
            io.Error.WriteLine($"[{done}/{total}] {cell.Aggregator} vs {cell.Attack} ({cell.Byzantine} Byzantine): {outcome}");
        });
        RobustnessTables.Write(folder, cells, $"Robustness of {Path.GetFileNameWithoutExtension(path)}");
        io.Out.WriteLine(Path.GetFullPath(Path.Combine(folder, RobustnessTables.CsvFile)));
        return 0;
    }

    private static List<string> List(string? value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"robustness needs --{name} (a comma-separated list).")
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
