namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Zeno (Xie, Koyejo and Gupta 2019): each update Δ is scored on a small server-side batch by the
/// loss it removes, f(x) − f(x + Δ) − ρ‖Δ‖², and the n − f best-scored updates are averaged.
/// The round loop supplies the global model and the batch loss before aggregating.
/// </summary>
public sealed class Zeno(int f, double rho) : BufferedAggregator
{
    public override string Name => "zeno";

    /// <summary>The loss of the server's batch at given parameters.</summary>
    public Func<float[], double>? Loss { get; set; }

    /// <summary>The model x the updates start from.</summary>
    public float[] Global { get; set; } = [];

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        var loss = Loss ?? throw new InvalidOperationException("Zeno needs the server's batch loss before the round is aggregated.");
        int n = updates.Count, keep = Math.Max(1, n - f);
        double baseline = loss(Global);
        var candidate = new float[Global.Length];
        var scores = new double[n];
        for (int i = 0; i < n; i++)
        {
            var u = updates[i];
            for (int j = 0; j < candidate.Length; j++)
            {
                candidate[j] = Global[j] + u[j];
            }
            double after = loss(candidate);
            double norm2 = Cohort.Tensors.Kernels.Reductions.SumOfSquares(u);
            // A non-finite loss (a wrecked model) ranks last.
            scores[i] = double.IsFinite(after) ? baseline - after - rho * norm2 : double.NegativeInfinity;
        }
        var best = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(keep).Select(i => updates[i]).ToArray();
        VectorMath.Mean(best, result);
    }
}
