namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Coordinate-wise median (Yin et al. 2018).</summary>
internal sealed class CoordinateMedian : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("median", "coordinate-wise median (Yin et al. 2018)", a => new CoordinateMedian() { PreAggregation = a.PreAggregation, Clipping = a.Clipping });

    public override string Name => "median";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context) =>
        CoordinateWise.Apply(updates, result, CoordinateWise.Median);
}
