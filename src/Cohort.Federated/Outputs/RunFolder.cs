using Cohort.NN.Modules;
using Cohort.NN.Serialization;

namespace Cohort.Federated.Outputs;

/// <summary>
/// The layout of a run folder: config.yaml, metrics.jsonl, metrics.csv, tensorboard/, summary.json,
/// model.safetensors, partition.json, report.html, and the baselines as run folders of their own under
/// baselines/centralized and baselines/local. Whole files are written atomically; the metrics grow by
/// appended, flushed rounds, so nothing already written is lost. The TensorBoard events and report.html
/// are written by Cohort.Reporting.
/// </summary>
internal sealed class RunFolder
{
    public const string ConfigFile = "config.yaml";
    public const string MetricsJsonlFile = "metrics.jsonl";
    public const string MetricsCsvFile = "metrics.csv";
    public const string TensorBoardDirectory = "tensorboard";
    public const string SummaryFile = "summary.json";
    public const string ModelFile = "model.safetensors";
    public const string PartitionFile = "partition.json";
    public const string ReportFile = "report.html";
    public const string BaselinesDirectory = "baselines";

    /// <summary>The baseline modes that have a sub-run folder.</summary>
    public static readonly IReadOnlyList<string> BaselineModes = ["centralized", "local"];

    private RunFolder(string path) => FullPath = Path.GetFullPath(path);

    /// <summary>The folder's absolute path.</summary>
    public string FullPath { get; }

    public string ConfigPath => Combine(ConfigFile);

    public string MetricsJsonlPath => Combine(MetricsJsonlFile);

    public string MetricsCsvPath => Combine(MetricsCsvFile);

    public string TensorBoardFolder => Combine(TensorBoardDirectory);

    public string SummaryPath => Combine(SummaryFile);

    public string ModelPath => Combine(ModelFile);

    public string PartitionPath => Combine(PartitionFile);

    public string ReportPath => Combine(ReportFile);

    /// <summary>A run folder to write into, created (with its parents) if missing.</summary>
    public static RunFolder Create(string path)
    {
        var folder = new RunFolder(path);
        Directory.CreateDirectory(folder.FullPath);
        return folder;
    }

    /// <summary>An existing run folder, to read; a missing one is an error naming it.</summary>
    public static RunFolder Open(string path)
    {
        var folder = new RunFolder(path);
        return Directory.Exists(folder.FullPath)
            ? folder
            : throw new RunFileException($"run folder {path} does not exist.");
    }

    /// <summary>Where a baseline's sub-run lives (baselines/&lt;mode&gt;), whether or not it exists.</summary>
    public string BaselinePath(string mode)
    {
        if (!BaselineModes.Contains(mode))
        {
            throw new ArgumentException($"no baseline '{mode}'; one of: {string.Join(", ", BaselineModes)}.", nameof(mode));
        }
        return Path.Combine(FullPath, BaselinesDirectory, mode);
    }

    /// <summary>The baseline's sub-run folder, created if missing.</summary>
    public RunFolder CreateBaseline(string mode) => Create(BaselinePath(mode));

    /// <summary>The baselines whose folders exist, by mode.</summary>
    public IEnumerable<(string Mode, RunFolder Folder)> ExistingBaselines() =>
        BaselineModes.Where(m => Directory.Exists(BaselinePath(m))).Select(m => (m, new RunFolder(BaselinePath(m))));

    /// <summary>The resolved config (<c>ExperimentConfig.ToYaml()</c>).</summary>
    public void WriteConfig(string yaml) => AtomicFile.WriteAllText(ConfigPath, yaml);

    public void WritePartition(PartitionSummary partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        partition.Write(PartitionPath);
    }

    /// <summary>The trained model's parameters and buffers (written atomically by the safetensors writer).</summary>
    public void WriteModel(Model model, IReadOnlyDictionary<string, string>? metadata = null) => model.SaveSafetensors(ModelPath, metadata);

    private string Combine(string name) => Path.Combine(FullPath, name);
}
