using Cohort.Federated.Metrics;

namespace Cohort.Federated.Stages;

/// <summary>An ordered list of stages: client hooks in order, server hooks (per update and on the aggregate) in reverse.</summary>
public sealed class UpdatePipeline(IReadOnlyList<IUpdateStage> stages)
{
    public static UpdatePipeline Empty { get; } = new([]);

    public IReadOnlyList<IUpdateStage> Stages { get; } = stages;

    /// <summary>Runs the client hooks; returns the uplink bytes of the final encoding (4 bytes a value when no stage encodes).</summary>
    public long OnClient(StageContext context, Span<float> update)
    {
        long bytes = 4L * update.Length;
        foreach (var stage in Stages)
        {
            long encoded = stage.OnClient(context, update);
            bytes = encoded == IUpdateStage.KeepsEncoding ? bytes : encoded;
        }
        return bytes;
    }

    /// <summary>Runs the per-update server hooks in reverse; false as soon as one refuses the update.</summary>
    public bool OnReceived(StageContext context, Span<float> update)
    {
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            if (!Stages[i].OnReceived(context, update))
            {
                return false;
            }
        }
        return true;
    }

    public void OnServer(StageContext context, Span<float> aggregate)
    {
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            Stages[i].OnServer(context, aggregate);
        }
    }

    public void BeginRound(int round)
    {
        foreach (var stage in Stages)
        {
            stage.BeginRound(round);
        }
    }

    public void Report(RoundMetrics metrics)
    {
        foreach (var stage in Stages)
        {
            stage.Report(metrics);
        }
    }
}
