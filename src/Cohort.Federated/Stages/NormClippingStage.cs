using System.Numerics.Tensors;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Stages;

/// <summary>
/// Norm clipping (aggregator.clip): each update the server receives is scaled down to norm at most τ,
/// u ← u·min(1, τ/‖u‖), before it is aggregated, so the aggregator (the weighted mean included) combines
/// the clipped updates with their usual weights. Reports the share it shortened as <c>clipped_fraction</c>
/// through <paramref name="meter"/>, which it may share with a clipping aggregator (centered clipping).
/// </summary>
internal sealed class NormClippingStage(double tau, ClippingMeter meter) : IUpdateStage
{
    public static StageDeclaration Declaration { get; } = new("clip", "norm clipping: each received update scaled down to a norm of at most τ before aggregation, with its usual weight",
        "aggregator.clip", a => a.Config.GetDouble("aggregator.clip") is > 0 and var tau ? [new NormClippingStage(tau, a.Clipping)] : [])
    {
        Order = 2,
        Keys = [Key.Number("aggregator.clip", "0", "clip each update to this norm before aggregation (0: off)", 0)],
    };

    public string Name => "clip";

    public bool ChangesReceived => true;

    public bool OnReceived(StageContext context, Span<float> update)
    {
        meter.Count(Clip(update, tau) ? 1 : 0, 1);
        return true;
    }

    /// <summary>Scales <paramref name="update"/> to norm at most <paramref name="bound"/>; true when it was longer.</summary>
    public static bool Clip(Span<float> update, double bound)
    {
        double norm = Math.Sqrt(TensorPrimitives.SumOfSquares(update));
        if (norm <= bound)
        {
            return false;
        }
        TensorPrimitives.Multiply(update, (float)(bound / norm), update);
        return true;
    }

    public void Report(RoundMetrics metrics) => meter.Record(metrics);
}
