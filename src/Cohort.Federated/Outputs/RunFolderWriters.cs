using Cohort.Federated.Metrics;

namespace Cohort.Federated.Outputs;

/// <summary>
/// The writers of a run folder as one callback: metrics.jsonl, metrics.csv, any further writers the
/// caller plugs in (the TensorBoard events, from Cohort.Reporting), then summary.json.
/// </summary>
internal sealed class RunFolderWriters : IRunCallback, IDisposable
{
    private readonly IRunCallback[] _writers;
    private readonly IReadOnlyList<IDisposable> _owned;

    /// <param name="folder">The run folder written into.</param>
    /// <param name="more">Further writers, called after metrics.csv's and disposed with these.</param>
    public RunFolderWriters(RunFolder folder, params IReadOnlyList<IRunFileWriter> more)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(more);
        Jsonl = new MetricsJsonlWriter(folder.MetricsJsonlPath);
        Csv = new MetricsCsvWriter(folder.MetricsCsvPath);
        Summary = new SummaryJsonWriter(folder.SummaryPath);
        _writers = [Jsonl, Csv, .. more, Summary];
        _owned = [Jsonl, Csv, .. more];
    }

    public MetricsJsonlWriter Jsonl { get; }

    public MetricsCsvWriter Csv { get; }

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
        foreach (var w in _owned)
        {
            w.Dispose();
        }
    }
}
