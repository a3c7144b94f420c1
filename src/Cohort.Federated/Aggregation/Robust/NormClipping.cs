using Cohort.Federated.Config;


namespace Cohort.Federated.Aggregation.Robust;

/// <summary>Each update scaled down to norm at most τ.</summary>
public sealed class NormClipping(double tau) : IPreAggregation
{
    public static PreAggregationDeclaration Declaration { get; } = new("clip", "each update scaled down to a norm of at most τ", a => a.Config.GetDouble("aggregator.clip") is > 0 and var tau ? new NormClipping(tau) : null)
    {
        Keys = [Key.Number("clip", "0", "pre-aggregation: clip each update to this norm (0: off)", 0)],
        Order = 0,
    };

    public string Name => "clip";

    public IReadOnlyList<float[]> Apply(IReadOnlyList<float[]> updates, AggregationContext context)
    {
        var clipped = new float[updates.Count][];
        int shortened = 0;
        for (int i = 0; i < updates.Count; i++)
        {
            var row = updates[i];
            double norm = VectorMath.Norm(row);
            float scale = norm > tau ? (float)(tau / norm) : 1f;
            shortened += norm > tau ? 1 : 0;
            clipped[i] = new float[row.Length];
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, scale, clipped[i]);
        }
        context.Clipping?.Count(shortened, updates.Count);
        return clipped;
    }
}
