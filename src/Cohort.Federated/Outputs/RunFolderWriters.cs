using Cohort.Federated.Metrics;

namespace Cohort.Federated.Outputs;

/// <summary>The writers of a run folder as one callback: metrics.jsonl, metrics.csv, the TensorBoard events and summary.json.</summary>
public sealed class RunFolderWriters : IRunCallback, IDisposable
{
    private readonly IRunCallback[] _writers;

    public RunFolderWriters(RunFolder folder, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Jsonl = new MetricsJsonlWriter(folder.MetricsJsonlPath);
        Csv = new MetricsCsvWriter(folder.MetricsCsvPath);
        TensorBoard = new TensorBoardWriter(folder.TensorBoardFolder, time);
        Summary = new SummaryJsonWriter(folder.SummaryPath);
        _writers = [Jsonl, Csv, TensorBoard, Summary];
    }

    public MetricsJsonlWriter Jsonl { get; }

    public MetricsCsvWriter Csv { get; }

    public TensorBoardWriter TensorBoard { get; }

    public SummaryJsonWriter Summary { get; }

    public void OnStart(RunInfo info)
    {
        foreach (var w in _writers)
        {
            w.OnStart(info);
        }
    }

    public void OnRound(RoundMetrics metrics)
    {
        foreach (var w in _writers)
        {
            w.OnRound(metrics);
        }
    }

    public void OnEnd(RunSummary summary)
    {
        foreach (var w in _writers)
        {
            w.OnEnd(summary);
        }
    }

    public void Dispose()
    {
        Jsonl.Dispose();
        Csv.Dispose();
        TensorBoard.Dispose();
    }
}
