namespace Cohort.Federated.Stages;

/// <summary>An ordered list of stages: client hooks in order, server hooks in reverse.</summary>
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
            bytes = stage.OnClient(context, update);
        }
        return bytes;
    }

    public void OnServer(StageContext context, Span<float> aggregate)
    {
        for (int i = Stages.Count - 1; i >= 0; i--)
        {
            Stages[i].OnServer(context, aggregate);
        }
    }
}
