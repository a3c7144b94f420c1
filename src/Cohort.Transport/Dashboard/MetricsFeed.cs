using Cohort.Federated.Metrics;

namespace Cohort.Transport.Dashboard;

/// <summary>The rounds' metrics as the run records them, kept for the dashboard (read from request threads while the round loop appends).</summary>
internal sealed class MetricsFeed : IRunCallback
{
    private readonly List<RoundMetrics> _rounds = [];

    public void OnRound(RoundMetrics metrics)
    {
        lock (_rounds)
        {
            _rounds.Add(metrics);
        }
    }

    public IReadOnlyList<RoundMetrics> Snapshot()
    {
        lock (_rounds)
        {
            return [.. _rounds];
        }
    }
}
