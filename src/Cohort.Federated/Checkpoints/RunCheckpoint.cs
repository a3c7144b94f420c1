using System.Globalization;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Checkpoints;

/// <summary>
/// Checkpoints of a simulated federated run, in the run folder's checkpoint/: every
/// <c>checkpoint.every</c> rounds the server state (model, buffers, server optimizer, the method's
/// and the aggregator's vectors), the client-state store, the run's totals and broadcast view, and
/// the simulated asynchronous clients in flight (an <see cref="ICheckpointedCohort"/>), each file written whole, then checkpoint.json naming them, then the older files removed. The
/// same command run again resumes from the last one; random streams derive from (seed, round,
/// client), so no generator position needs saving, and the run ends bit for bit as an uninterrupted one.
/// </summary>
internal sealed class RunCheckpoint
{
    public const string FolderName = "checkpoint";
    private const string ServerPrefix = "server-r";
    private const string StatePrefix = "client-state-r";
    private const string ProgressPrefix = "progress-r";
    private const string InFlightPrefix = "in-flight-r";

    private readonly string _runFolder;
    private readonly string _folder;
    private readonly string _manifestPath;
    private readonly string _experiment;
    private readonly int _every;
    private CheckpointManifest? _manifest;

    public RunCheckpoint(string runFolder, ExperimentConfig config)
    {
        _runFolder = runFolder;
        _folder = Path.Combine(runFolder, FolderName);
        _manifestPath = Path.Combine(_folder, CheckpointManifest.FileName);
        _experiment = ExperimentIdentity.Of(config);
        _every = config.GetInt("checkpoint.every");
        _manifest = CheckpointManifest.Read(_manifestPath);
    }

    /// <summary>Whether the folder holds a run that ran to its end.</summary>
    public bool Finished => _manifest?.Finished == true;

    /// <summary>
    /// Refuses a folder that holds a run of another experiment, naming what differs; a folder with the
    /// same experiment's run (or none) passes. Call before anything in the folder is written.
    /// </summary>
    public void CheckSameExperiment(RunFolder folder, ExperimentConfig config)
    {
        if (_manifest is null && !File.Exists(folder.MetricsJsonlPath))
        {
            return;
        }
        if (!File.Exists(folder.ConfigPath))
        {
            throw new RunFileException($"{_runFolder} holds a run but no {RunFolder.ConfigFile} to compare this experiment with; choose another folder.");
        }
        ExperimentConfig before;
        try
        {
            before = ExperimentConfig.FromFile(folder.ConfigPath);
        }
        catch (ConfigException e)
        {
            throw new RunFileException($"{folder.ConfigPath}: {e.Message}", e);
        }
        var differences = ExperimentIdentity.Differences(before, config);
        if (differences.Count > 0)
        {
            throw new RunFileException($"{_runFolder} holds a run of another experiment ({folder.ConfigPath} differs: {string.Join("; ", differences)}); run it with the same settings to resume it, or choose another folder.");
        }
        if (_manifest is not null && _manifest.Experiment != _experiment)
        {
            throw new RunFileException($"{_manifestPath}: a checkpoint of another experiment (id {_manifest.Experiment}; this one is {_experiment}); choose another folder.");
        }
    }

    /// <summary>
    /// Restores the run from the last checkpoint, if there is one, and saves a checkpoint every
    /// <c>checkpoint.every</c> rounds from now on. Returns the round it resumed after (0: from the start).
    /// </summary>
    public int Attach(FederatedRun run, string metricsPath, TextWriter log)
    {
        int resumed = Resume(run, metricsPath, log);
        if (_every == 0)
        {
            return resumed;
        }
        run.AfterRound = round =>
        {
            if (round % _every == 0)
            {
                Save(run, round);
                log.WriteLine($"checkpoint: round {round.ToString(CultureInfo.InvariantCulture)} saved in {_folder}");
            }
        };
        return resumed;
    }

    /// <summary>Records that the run reached its end (its outputs written): running it again does nothing.</summary>
    public void MarkFinished(int round)
    {
        Directory.CreateDirectory(_folder);
        _manifest = new CheckpointManifest(CheckpointManifest.CurrentFormat, _experiment, round, true, _manifest?.Files ?? []);
        _manifest.Write(_manifestPath);
    }

    private void Save(FederatedRun run, int round)
    {
        Directory.CreateDirectory(_folder);
        string r = round.ToString(CultureInfo.InvariantCulture);
        string server = ServerPrefix + r + ".bin", state = StatePrefix + r + ".bin", progress = ProgressPrefix + r + ".bin";
        ServerCheckpoint.Write(Path.Combine(_folder, server), run.Server);
        AtomicFile.Write(Path.Combine(_folder, state), run.States.Save);
        RunProgressFile.Write(Path.Combine(_folder, progress), run);
        List<string> files = [server, state, progress];
        if (run.RoundExecutor is ICheckpointedCohort cohort)
        {
            // Simulated asynchronous clients still training when the round closed.
            string inFlight = InFlightPrefix + r + ".bin";
            AtomicFile.Write(Path.Combine(_folder, inFlight), cohort.Save);
            files.Add(inFlight);
        }
        var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormat, _experiment, round, false, files);
        manifest.Write(_manifestPath);
        _manifest = manifest;
        // Only now that the manifest names the new files are the old ones of no use.
        foreach (string file in Directory.EnumerateFiles(_folder))
        {
            string name = Path.GetFileName(file);
            bool ours = new[] { ServerPrefix, StatePrefix, ProgressPrefix, InFlightPrefix }.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
            if (ours && !manifest.Files.Contains(name))
            {
                File.Delete(file);
            }
        }
    }

    private int Resume(FederatedRun run, string metricsPath, TextWriter log)
    {
        if (_manifest is not { Round: > 0 } manifest)
        {
            return 0;
        }
        string server = SavedFile(manifest, ServerPrefix), state = SavedFile(manifest, StatePrefix), progress = SavedFile(manifest, ProgressPrefix);
        ServerCheckpoint.Read(server, run.Server);
        if (run.Server.Round != manifest.Round)
        {
            throw new InvalidDataException($"{server}: the server state of round {run.Server.Round}; {_manifestPath} names round {manifest.Round}.");
        }
        using (var stream = File.OpenRead(state))
        {
            run.States.Restore(stream, state);
        }
        RunProgressFile.Read(progress, run);
        if (run.RoundExecutor is ICheckpointedCohort cohort)
        {
            string inFlight = SavedFile(manifest, InFlightPrefix);
            using var stream = File.OpenRead(inFlight);
            cohort.Restore(stream, inFlight);
        }
        run.RestoreHistory(ResumedMetrics.Through(metricsPath, manifest.Round));
        log.WriteLine($"resuming after round {manifest.Round.ToString(CultureInfo.InvariantCulture)} from {_manifestPath}");
        return manifest.Round;
    }

    private string SavedFile(CheckpointManifest manifest, string prefix)
    {
        string? name = manifest.Files.FirstOrDefault(f => f.StartsWith(prefix, StringComparison.Ordinal));
        string path = Path.Combine(_folder, name ?? prefix + "*");
        return name is not null && File.Exists(path)
            ? path
            : throw new RunFileException($"{_manifestPath} names no {prefix}… file, or one that is missing ({path}); the checkpoint cannot be restored.");
    }
}
