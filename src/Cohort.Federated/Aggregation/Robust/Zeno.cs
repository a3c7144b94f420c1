using Cohort.Federated.Config;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Zeno (Xie, Koyejo and Gupta 2019): each candidate gradient g is scored on a small server-side batch
/// by its stochastic descendant score f_r(x) − f_r(x − γg) − ρ‖g‖², and the n − f best-scored are
/// averaged. Clients here send deltas Δ (local model minus x), so g = −Δ/γ with γ the clients'
/// learning rate: the score is f_r(x) − f_r(x + Δ) − (ρ/γ²)‖Δ‖². With one local step of plain SGD
/// Δ = −γg exactly and this is the paper's score; with more steps g is the round's pseudo-gradient.
/// Each round it scores on a fresh server batch of <paramref name="batch"/> samples, at the round's global model.
/// </summary>
internal sealed class Zeno(int f, double rho, double gamma, int batch = 64) : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("zeno", "Zeno (Xie et al. 2019): the updates that most lower the loss of a server batch", 
        // Zeno's γ: clients send deltas, so the gradient it scores is −Δ / client.lr.
        a => new Zeno(a.F, a.Config.GetDouble("aggregator.rho"), a.Config.GetDouble("client.lr")) { PreAggregation = a.PreAggregation, Clipping = a.Clipping })
    {
        Keys = [Key.Number("rho", "0.0005", "weight ρ of the update's squared norm in its score", 0), Key.Integer("zeno_batch", "64", "samples in the server's scoring batch", 1)],
    };

    public override string Name => "zeno";

    public override void BeginRound(AggregationRound round)
    {
        base.BeginRound(round);
        Global = round.Global;
        Loss = round.ServerBatchLoss(batch);
    }

    /// <summary>The loss of the server's batch at given parameters.</summary>
    public Func<float[], double>? Loss { get; set; }

    /// <summary>The model x the updates start from.</summary>
    public float[] Global { get; set; } = [];

    /// <summary>The score of a delta Δ at x: f_r(x) − f_r(x + Δ) − ρ‖Δ/γ‖² (−∞ when the loss is not finite).</summary>
    public double Score(ReadOnlySpan<float> delta) => Score(delta, BatchLoss(Global), new float[Global.Length]);

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int n = updates.Count, keep = Math.Max(1, n - f);
        double baseline = BatchLoss(Global);
        var candidate = new float[Global.Length];
        var scores = updates.Select(u => Score(u, baseline, candidate)).ToArray();
        var best = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(keep).Select(i => updates[i]).ToArray();
        VectorMath.Mean(best, result);
    }

    private double BatchLoss(float[] parameters) =>
        (Loss ?? throw new InvalidOperationException("Zeno needs the server's batch loss before the round is aggregated."))(parameters);

    private double Score(ReadOnlySpan<float> delta, double baseline, float[] candidate)
    {
        for (int j = 0; j < candidate.Length; j++)
        {
            candidate[j] = Global[j] + delta[j];
        }
        double after = BatchLoss(candidate);
        double gradient2 = Cohort.Tensors.Kernels.Reductions.SumOfSquares(delta) / (gamma * gamma);
        // A non-finite loss (a wrecked model) ranks last.
        return double.IsFinite(after) ? baseline - after - rho * gradient2 : double.NegativeInfinity;
    }
}
