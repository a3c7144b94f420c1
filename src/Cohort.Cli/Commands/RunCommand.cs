using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;

namespace Cohort.Cli.Commands;

/// <summary>`cohort run &lt;experiment.yaml&gt; [--set key=value …] [--out DIR] [--baselines]`: a simulation and its run folder.</summary>
public static class RunCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        var (positional, sets, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("run needs an experiment file: cohort run <experiment.yaml>.");
        }
        string? outDir = options.String("out");
        bool baselines = options.String("baselines") is not null;
        options.RejectUnknown();

        var config = Load(positional[0], sets);
        var experiment = Experiment.From(config);
        var data = FederatedData.Load(config);
        string path = outDir ?? DefaultFolder(positional[0]);
        if (File.Exists(Path.Combine(path, RunFolder.MetricsJsonlFile)))
        {
            // Never mix two runs' rounds, nor overwrite a finished run.
            throw new IOException($"--out {path} already holds a run (metrics.jsonl); choose another folder.");
        }
        var folder = RunFolder.Create(path);
        stderr.WriteLine($"run folder: {folder.FullPath}");
        var partition = PartitionSummary.From(data, config.Get("partition.kind"));
        RunOne(experiment, config, data, partition, folder, stderr);
        if (baselines && experiment.Mode == "federated")
        {
            foreach (string mode in RunFolder.BaselineModes)
            {
                var baseline = config.Clone();
                baseline.Set("mode", mode);
                RunOne(Experiment.From(baseline), baseline, data, partition, folder.CreateBaseline(mode), stderr);
            }
        }
        stdout.WriteLine(folder.WriteReport());
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

    private static void RunOne(Experiment experiment, ExperimentConfig config, FederatedData data, PartitionSummary partition, RunFolder folder, TextWriter progress)
    {
        folder.WriteConfig(config.ToYaml());
        folder.WritePartition(partition);
        using var writers = folder.OpenWriters();
        var callbacks = new List<IRunCallback> { writers, new ProgressReporter(progress, live: !Console.IsErrorRedirected) };
        using var simulation = new Simulation(experiment, data, callbacks);
        simulation.Run();
        folder.WriteModel(simulation.ExportModel(), new Dictionary<string, string> { ["mode"] = experiment.Mode });
    }

    private static string DefaultFolder(string experimentPath)
    {
        string name = Path.GetFileNameWithoutExtension(experimentPath);
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine("runs", $"{name}-{stamp}");
    }
}
