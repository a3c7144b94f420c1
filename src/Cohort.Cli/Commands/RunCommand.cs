using System.CommandLine;
using Cohort.Federated.Checkpoints;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;
using Cohort.Federated.Partitions;
using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort run &lt;experiment.yaml&gt; [--set key=value …] [--out DIR] [--baselines]`: a simulation and its run
/// folder. The same command with the same --out resumes an interrupted run from its last checkpoint.
/// </summary>
internal static class RunCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var file = CliOptions.ExperimentFile();
        var sets = CliOptions.Sets();
        var outDir = CliOptions.Text("--out", "DIR", "the run folder (default runs/<name>-<time>); the same folder again resumes an interrupted run");
        var baselines = CliOptions.Flag("--baselines", "also run the centralized and local baselines");
        var command = new Command("run", "simulate an experiment into a run folder") { file, sets, outDir, baselines };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(sets), parse.GetValue(outDir), parse.GetValue(baselines), io));
        return command;
    }

    /// <summary>Runs until done or until the command is cancelled; an interrupted run exits 130 and resumes when run again.</summary>
    private static int Run(string path, string[] sets, string? outDir, bool baselines, CommandIo io)
    {
        var config = Load(path, sets);
        var experiment = Experiment.From(config);
        var (folder, checkpoint) = OpenFolder(config, outDir ?? DefaultFolder(path));
        if (checkpoint.Finished)
        {
            io.Out.WriteLine($"run in {folder.FullPath} is finished; nothing to do.");
            return 0;
        }
        int code = Execute(experiment, config, folder, checkpoint, baselines, io.Error, !Console.IsErrorRedirected, io.Cancel);
        if (code == 0)
        {
            io.Out.WriteLine(folder.ReportPath);
        }
        return code;
    }

    /// <summary>The run folder at <paramref name="path"/> with its checkpoint; a folder that holds a run of another experiment is refused before anything is written.</summary>
    public static (RunFolder Folder, RunCheckpoint Checkpoint) OpenFolder(ExperimentConfig config, string path)
    {
        var folder = RunFolder.Create(path);
        var checkpoint = new RunCheckpoint(folder.FullPath, config);
        checkpoint.CheckSameExperiment(folder, config);
        return (folder, checkpoint);
    }

    /// <summary>
    /// Runs the experiment into its folder (resuming from the checkpoint there), its baselines if asked, the
    /// report, and marks it finished. Returns 0, or 130 when <paramref name="cancel"/> stopped it (it resumes when run again).
    /// </summary>
    public static int Execute(Experiment experiment, ExperimentConfig config, RunFolder folder, RunCheckpoint checkpoint, bool baselines,
        TextWriter progress, bool live, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(progress);
        var data = FederatedData.Load(config);
        progress.WriteLine($"run folder: {folder.FullPath}");
        var partition = PartitionSummary.From(data, config.Get("partition.kind"));
        int rounds = RunOne(experiment, config, data, partition, folder, progress, live, experiment.Mode == "federated" ? checkpoint : null, cancel);
        if (baselines && experiment.Mode == "federated")
        {
            foreach (string mode in RunFolder.BaselineModes)
            {
                var baseline = config.Clone();
                baseline.Set("mode", mode);
                if (!cancel.IsCancellationRequested)
                {
                    RunOne(Experiment.From(baseline), baseline, data, partition, folder.CreateBaseline(mode), progress, live, null, cancel);
                }
            }
        }
        if (cancel.IsCancellationRequested)
        {
            progress.WriteLine("cohort: interrupted; run the same command to resume from the last checkpoint.");
            return 130;
        }
        folder.WriteReport();
        checkpoint.MarkFinished(rounds);
        return 0;
    }

    /// <summary>Reads the experiment file and applies overrides; relative paths in the file are relative to the file.</summary>
    public static ExperimentConfig Load(string path, IEnumerable<string> sets)
    {
        var config = ExperimentConfig.FromFile(path);
        foreach (string key in new[] { "dataset.root", "dataset.test" })
        {
            if (config.Has(key) && !Path.IsPathRooted(config.Get(key)))
            {
                config.Set(key, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, config.Get(key))));
            }
        }
        foreach (string set in sets)
        {
            config.Set(set);
        }
        return config;
    }

    /// <summary>Runs one experiment into its folder (resumed from a checkpoint when there is one); returns the rounds run.</summary>
    private static int RunOne(Experiment experiment, ExperimentConfig config, FederatedData data, PartitionSummary partition, RunFolder folder, TextWriter progress,
        bool live, RunCheckpoint? checkpoint, CancellationToken cancel)
    {
        folder.WriteConfig(config.ToYaml());
        folder.WritePartition(partition);
        using var writers = folder.OpenWriters();
        // Rounds already in metrics.jsonl (run before an interruption) are not written twice.
        var callbacks = new List<IRunCallback> { new FromRound(ResumedMetrics.LastRound(folder.MetricsJsonlPath), writers), new ProgressReporter(progress, live) };
        using var simulation = new FederatedRun(experiment, data, callbacks);
        checkpoint?.Attach(simulation, folder.MetricsJsonlPath, progress);
        RunSummary summary;
        try
        {
            summary = simulation.Run(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 0;
        }
        if (!cancel.IsCancellationRequested)
        {
            folder.WriteModel(simulation.ExportModel(), new Dictionary<string, string> { ["mode"] = experiment.Mode });
        }
        return summary.RoundsRun;
    }

    private static string DefaultFolder(string experimentPath)
    {
        string name = Path.GetFileNameWithoutExtension(experimentPath);
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine("runs", $"{name}-{stamp}");
    }
}
