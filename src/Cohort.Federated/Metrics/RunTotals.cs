namespace Cohort.Federated.Metrics;

/// <summary>What a federated run adds up over its rounds: bytes sent both ways and the training time; a resumed run goes on from the saved totals.</summary>
internal sealed class RunTotals
{
    public long BytesUp { get; set; }

    public long BytesDown { get; set; }

    public double TrainingSeconds { get; set; }
}
