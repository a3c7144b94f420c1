using Cohort.Federated.Config;
using Cohort.Federated.State;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Centered clipping (Karimireddy, He and Jaggi 2021): v ← v + (1/n) Σ clip_τ(xᵢ − v), a few times,
/// started from the previous round's aggregate, where clip_τ(u) = u·min(1, τ/‖u‖). Without a
/// configured τ, the first round sets it to the median of ‖xᵢ − v‖ over its updates (v = 0 then: the
/// median update norm), and it stays fixed after: it then clips about half of the first round's
/// updates, the largest ones, and any later update that strays further from the centre.
/// </summary>
internal sealed class CenteredClipping(double? tau = null, int iterations = 3) : BufferedAggregator
{
    public static AggregatorDeclaration Declaration { get; } = new("centered-clipping", "centered clipping (Karimireddy et al. 2021): updates clipped around the last aggregate", a => new CenteredClipping(a.Config.GetOptionalDouble("aggregator.tau"), a.Config.GetInt("aggregator.iterations")) { PreAggregation = a.PreAggregation, Clipping = a.Clipping })
    {
        Keys = [Key.Number("tau", null, "clipping radius τ (default: the first round's median distance to the centre)", 1e-12) with { Optional = true }, Key.Integer("iterations", "3", "clipping iterations", 1)],
    };

    /// <summary>The name of <see cref="Center"/> in the server state, so checkpoints carry it.</summary>
    public const string CenterVector = "aggregator.center";

    /// <summary>The name of the scalar that keeps the τ set by the first round (0: not yet set), declared only without a configured τ.</summary>
    public const string RadiusScalar = "aggregator.tau";

    // The radius the last aggregation used, kept as τ once that aggregation is final.
    private double _firstRadius;

    // The server state it keeps its centre and τ in (null: used on its own, as in tests; then τ is kept here).
    private StateRecord? _state;
    private double _radius;

    public override string Name => "centered-clipping";

    /// <summary>The previous round's aggregate, where the next round starts (zeros at first); rewritten by each aggregation.</summary>
    public float[] Center { get; set; } = [];

    /// <summary>τ in use: the configured one, else the first round's, else (before any round) none.</summary>
    public double? Tau => tau ?? (Radius > 0 ? Radius : null);

    private double Radius
    {
        get => _state is null ? _radius : _state.Scalar(RadiusScalar);
        set
        {
            if (_state is null)
            {
                _radius = value;
            }
            else
            {
                _state.SetScalar(RadiusScalar, value);
            }
        }
    }

    /// <summary>Its centre and (without a configured τ) the first round's τ are declared in the server state, so checkpoints carry them.</summary>
    public override void BeginRound(AggregationRound round)
    {
        base.BeginRound(round);
        var declaration = new StateDeclaration(Name).Vector(CenterVector);
        _state = round.Server.Declare(tau is null ? declaration.Scalar(RadiusScalar) : declaration);
        Center = _state.Vector(CenterVector);
    }

    protected override void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context)
    {
        int d = result.Length;
        var v = new double[d];
        if (Center.Length == d)
        {
            for (int j = 0; j < d; j++)
            {
                v[j] = Center[j];
            }
        }
        double radius = Tau ?? MedianDistance(updates, v);
        var step = new double[d];
        int clipped = 0;
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(step);
            foreach (var x in updates)
            {
                double norm = Distance(x, v);
                double scale = norm > radius ? radius / norm : 1;
                clipped += norm > radius ? 1 : 0;
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
        // Every clip_τ applied counts: n updates in each of the iterations.
        context.Clipping?.Count(clipped, iterations * updates.Count);
        for (int j = 0; j < d; j++)
        {
            result[j] = (float)v[j];
        }
        if (Tau is null)
        {
            _firstRadius = radius;
        }
    }

    protected override void Advance(ReadOnlySpan<float> aggregate)
    {
        if (Center.Length != aggregate.Length)
        {
            Center = new float[aggregate.Length];
        }
        aggregate.CopyTo(Center);
        if (Tau is null)
        {
            // Kept at float precision, as the τ of every run so far.
            Radius = (float)_firstRadius;
        }
    }

    /// <summary>The median of ‖xᵢ − v‖ (the mean of the two middle ones for an even count).</summary>
    private static double MedianDistance(IReadOnlyList<float[]> updates, double[] v)
    {
        var distances = updates.Select(x => Distance(x, v)).Order().ToArray();
        int n = distances.Length;
        return n % 2 == 1 ? distances[n / 2] : (distances[n / 2 - 1] + distances[n / 2]) / 2;
    }

    /// <summary>‖x − v‖, summed in index order.</summary>
    private static double Distance(float[] x, double[] v)
    {
        double sum = 0;
        for (int j = 0; j < v.Length; j++)
        {
            double u = x[j] - v[j];
            sum += u * u;
        }
        return Math.Sqrt(sum);
    }
}
