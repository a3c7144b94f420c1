using System.CommandLine;
using System.Globalization;
using Cohort.Federated.Checkpoints;
using Cohort.Federated.Config;
using Cohort.Federated.Outputs;
using Cohort.Federated.Sweeps;
using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort sweep &lt;experiment.yaml&gt; --grid key=v1,v2 … [--seeds N | --seed-list a,b] [--parallel N] [--target A] [--select METRIC] [--set k=v …] [--out DIR]`:
/// one run per grid point and seed, each a run folder in DIR that `cohort run --out` would write; run
/// again, finished runs are skipped and interrupted ones resume. Then DIR/sweep.csv, sweep.md and a
/// comparison page (report.html) over the finished runs; with --select, the grid point a validation metric chooses.
/// </summary>
internal static class SweepCommand
{
    public const string ComparisonFile = "report.html";

    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var file = CliOptions.ExperimentFile();
        var grid = CliOptions.Repeated("--grid", "key=v1,v2", "one axis of the grid: a key and its values (repeatable; the grid is every combination)");
        var seeds = CliOptions.OptionalInt("--seeds", "run each point with seeds 0 … N−1 (default: the experiment's seed)", min: 1);
        var seedList = CliOptions.Text("--seed-list", "a,b,…", "run each point with these seeds");
        var parallel = CliOptions.Int("--parallel", "runs at a time", 1, min: 1);
        // A target for the tables only: unlike target_accuracy it stops no run.
        var target = CliOptions.OptionalNumber("--target", "A", "the accuracy the tables count rounds to (stops no run; default: target_accuracy)", min: 0);
        var select = CliOptions.Text("--select", "METRIC", "print the grid point of the highest mean final METRIC, a validation metric (e.g. personal_val_accuracy_mean, with partition.validation)");
        var sets = CliOptions.Sets();
        var outDir = CliOptions.Text("--out", "DIR", "the sweep folder (default runs/<name>-sweep): a run folder per grid point and seed; run again, finished runs are skipped and interrupted ones resume");
        var command = new Command("sweep", "one run per grid point and seed; DIR/sweep.csv, sweep.md (mean ± sample sd over seeds) and report.html")
        {
            file, grid, seeds, seedList, parallel, target, select, sets, outDir,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetRequiredValue(file);
            return Run(new SweepArguments(
                path,
                parse.GetRequiredValue(grid),
                Seeds(parse.GetValue(seeds), parse.GetValue(seedList)),
                parse.GetValue(parallel),
                parse.GetValue(target),
                parse.GetValue(select),
                parse.GetRequiredValue(sets),
                parse.GetValue(outDir) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(path) + "-sweep")), io);
        });
        return command;
    }

    /// <summary>What one sweep runs: the experiment file, the grid's axes, the seeds (null: the experiment's own), the folder.</summary>
    private sealed record SweepArguments(string Path, string[] Grid, List<int>? Seeds, int Parallel, double? Target, string? Select, string[] Sets, string Folder);

    private static int Run(SweepArguments args, CommandIo io)
    {
        var (stderr, stdout, cancel) = (io.Error, io.Out, io.Cancel);
        string folder = args.Folder;
        int parallel = args.Parallel;
        double? target = args.Target;
        if (args.Select is not null)
        {
            ValidationSelection.Check(args.Select);
        }
        var config = RunCommand.Load(args.Path, args.Sets);
        ConfigGrid grid;
        try
        {
            grid = new ConfigGrid(args.Grid.Select(ConfigGrid.ParseAxis).ToList());
        }
        catch (ConfigException e) when (!e.Message.StartsWith("--grid", StringComparison.Ordinal))
        {
            throw new ConfigException("--grid " + e.Message);
        }
        var runs = SweepPlan.Build(config, grid, args.Seeds ?? [config.GetInt(SweepPlan.SeedKey)], parallel);
        // Every folder is checked before any run starts: one that holds another experiment stops the sweep here.
        var folders = runs.Select(r => RunCommand.OpenFolder(r.Config, Path.Combine(folder, r.Name))).ToList();

        var failures = new Dictionary<int, string>();
        int done = 0;
        var gate = new object();
        void Report(int i, string what)
        {
            lock (gate)
            {
                stderr.WriteLine($"[{++done}/{runs.Count}] {runs[i].Name}: {what}");
            }
        }
        var pending = Enumerable.Range(0, runs.Count).Where(i =>
        {
            if (!folders[i].Checkpoint.Finished)
            {
                return true;
            }
            Report(i, "finished earlier; skipped");
            return false;
        }).ToList();
        Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
        {
            if (cancel.IsCancellationRequested)
            {
                return;
            }
            string? error = RunOne(runs[i], folders[i].Folder, folders[i].Checkpoint, Path.Combine(folder, runs[i].Name + ".log"), cancel);
            if (cancel.IsCancellationRequested)
            {
                return;
            }
            if (error is not null)
            {
                lock (gate)
                {
                    failures[i] = error;
                }
            }
            Report(i, error is null ? $"final test accuracy {RunOutcome.Read(folders[i].Folder).FinalTestAccuracy.ToString("P2", CultureInfo.InvariantCulture)}" : "failed: " + error);
        });
        if (cancel.IsCancellationRequested)
        {
            stderr.WriteLine("cohort: interrupted; run the same command to resume the sweep (finished runs are kept).");
            return 130;
        }

        var rows = runs.Select((r, i) => (Run: r, Index: i)).GroupBy(x => x.Run.Point.ToString(), StringComparer.Ordinal).Select(g => new SweepRow(
            g.First().Run.Point,
            g.Where(x => !failures.ContainsKey(x.Index)).Select(x => RunOutcome.Read(folders[x.Index].Folder, target)).ToList(),
            g.Count(x => failures.ContainsKey(x.Index)))).ToList();
        SweepTable.Write(folder, grid.Axes.Select(a => a.Key).ToList(), rows);
        var finished = folders.Where((_, i) => !failures.ContainsKey(i)).Select(f => f.Folder.FullPath).ToList();
        if (finished.Count > 0)
        {
            ComparisonReport.Write(finished, Path.Combine(folder, ComparisonFile));
        }
        stdout.Write(File.ReadAllText(Path.Combine(folder, SweepTable.MarkdownFile)));
        stdout.WriteLine(Path.GetFullPath(Path.Combine(folder, SweepTable.CsvFile)));
        if (args.Select is not null && failures.Count == 0)
        {
            var points = runs.Select((r, i) => (Run: r, Index: i)).GroupBy(x => x.Run.Point.ToString(), StringComparer.Ordinal)
                .Select(g => (g.First().Run.Point, (IReadOnlyList<MetricsLog>)[.. g.Select(x => MetricsLog.Read(folders[x.Index].Folder.MetricsJsonlPath))])).ToList();
            stdout.WriteLine(ValidationSelection.Describe(ValidationSelection.Best(points, args.Select), args.Select));
        }
        if (failures.Count > 0)
        {
            stderr.WriteLine($"cohort: {failures.Count} of {runs.Count} runs failed (each folder's .log beside it says why); run the same command to retry them.");
            return 1;
        }
        return 0;
    }

    /// <summary>Runs one point into its folder, its progress in its log; returns why it failed, or null.</summary>
    private static string? RunOne(SweepRun run, RunFolder folder, RunCheckpoint checkpoint, string logPath, CancellationToken cancel)
    {
        using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        try
        {
            RunCommand.Execute(run.Experiment, run.Config, folder, checkpoint, baselines: false, log, live: false, cancel);
            return null;
        }
        catch (Exception e) when (CommandLine.IsFailure(e))
        {
            log.WriteLine($"cohort: {e.Message}");
            return e.Message;
        }
    }

    /// <summary>--seeds N (0 … N−1) or --seed-list a,b,…; null with neither (the experiment's own seed).</summary>
    private static List<int>? Seeds(int? count, string? list)
    {
        if (list is not null && count is not null)
        {
            throw new UsageException("give --seeds N or --seed-list a,b,…, not both.");
        }
        if (list is not null)
        {
            return list.Split(',', StringSplitOptions.TrimEntries).Select(s =>
                int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) && seed >= 0
                    ? seed : throw new UsageException($"--seed-list: '{s}' is not a seed (a whole number of at least 0).")).ToList();
        }
        return count is { } n ? Enumerable.Range(0, n).ToList() : null;
    }
}
