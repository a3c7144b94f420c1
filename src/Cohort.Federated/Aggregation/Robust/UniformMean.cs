namespace Cohort.Federated.Aggregation.Robust;

/// <summary>The plain mean of the updates after the pre-aggregation steps (mean combined with bucketing, clipping or NNM).</summary>
internal sealed class UniformMean : BufferedAggregator
{
    public override string Name => "mean";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context) =>
        VectorMath.Mean(updates, result);
}
