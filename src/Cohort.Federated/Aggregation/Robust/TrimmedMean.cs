namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Coordinate-wise trimmed mean: the f largest and f smallest values of each coordinate dropped (Yin et al. 2018).</summary>
internal sealed class TrimmedMean(int f) : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("trimmed-mean", "coordinate-wise mean without the f largest and f smallest values (Yin et al. 2018)", a => new TrimmedMean(a.F) { PreAggregation = a.PreAggregation, Clipping = a.Clipping });

    public override string Name => "trimmed-mean";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int n = updates.Count;
        Requirement.AtLeast(Name, n, 2 * f + 1, $"2f + 1 with f = {f}");
        CoordinateWise.Apply(updates, result, sorted => CoordinateWise.MeanOf(sorted, f, n - 2 * f));
    }
}
