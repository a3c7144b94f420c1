namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Centered clipping (Karimireddy, He and Jaggi 2021): v ← v + (1/n) Σ clip_τ(xᵢ − v), a few times,
/// started from the previous round's aggregate, where clip_τ(u) = u·min(1, τ/‖u‖).
/// </summary>
public sealed class CenteredClipping(double tau = 1, int iterations = 3) : BufferedAggregator
{
    /// <summary>The name under which the round loop keeps <see cref="Center"/> in the server state, so checkpoints carry it.</summary>
    public const string CenterVector = "aggregator.center";

    public override string Name => "centered-clipping";

    /// <summary>The previous round's aggregate, where the next round starts (zeros at first); rewritten by each aggregation.</summary>
    public float[] Center { get; set; } = [];

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int d = result.Length;
        if (Center.Length != d)
        {
            Center = new float[d];
        }
        var center = Center;
        var v = new double[d];
        for (int j = 0; j < d; j++)
        {
            v[j] = center[j];
        }
        var step = new double[d];
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(step);
            foreach (var x in updates)
            {
                double norm = 0;
                for (int j = 0; j < d; j++)
                {
                    double u = x[j] - v[j];
                    norm += u * u;
                }
                double scale = Math.Min(1, tau / Math.Max(Math.Sqrt(norm), double.Epsilon));
                for (int j = 0; j < d; j++)
                {
                    step[j] += scale * (x[j] - v[j]);
                }
            }
            for (int j = 0; j < d; j++)
            {
                v[j] += step[j] / updates.Count;
            }
        }
        for (int j = 0; j < d; j++)
        {
            result[j] = center[j] = (float)v[j];
        }
    }
}
