using Cohort.Federated.Metrics;

namespace Cohort.Federated.Checkpoints;

/// <summary>Passes on only rounds after <paramref name="lastWritten"/>: a resumed run that redoes its open round does not write that round twice.</summary>
internal sealed class FromRound(int lastWritten, IRunCallback inner) : IRunCallback
{
    public void OnStart(RunInfo info) => inner.OnStart(info);

    public void OnRound(RoundMetrics metrics)
    {
        if (metrics.Round > lastWritten)
        {
            inner.OnRound(metrics);
        }
    }

    public void OnEnd(RunSummary summary) => inner.OnEnd(summary);
}
