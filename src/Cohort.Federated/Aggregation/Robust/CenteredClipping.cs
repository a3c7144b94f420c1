namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Centered clipping (Karimireddy, He and Jaggi 2021): v ← v + (1/n) Σ clip_τ(xᵢ − v), a few times,
/// started from the previous round's aggregate, where clip_τ(u) = u·min(1, τ/‖u‖).
/// </summary>
public sealed class CenteredClipping(double tau = 1, int iterations = 3) : BufferedAggregator
{
    private float[] _previous = [];

    public override string Name => "centered-clipping";

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int d = result.Length;
        if (_previous.Length != d)
        {
            _previous = new float[d];
        }
        var v = new double[d];
        for (int j = 0; j < d; j++)
        {
            v[j] = _previous[j];
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
            result[j] = _previous[j] = (float)v[j];
        }
    }
}
