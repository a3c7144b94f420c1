using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;

namespace Cohort.Federated.Diagnostics;

/// <summary>How far a round's clients drifted apart, and the sizes of their updates.</summary>
/// <param name="Drift">R = Σᵢ pᵢ‖x̄ − yᵢ‖², x̄ = Σᵢ pᵢyᵢ, over the cohort's local models yᵢ (pᵢ the aggregation weights).</param>
/// <param name="UpdateNorm">Σᵢ pᵢ‖uᵢ‖ of the updates as the method made them (before the client stages).</param>
/// <param name="AggregateNorm">‖aggregate‖ after the server stages.</param>
/// <param name="LeftOut">Clients of the cohort whose report carried no measurement (a deployed client that does not send it, an update restored after a server restart), left out of the two sums.</param>
internal sealed record LocalDrift(double Drift, double UpdateNorm, double AggregateNorm, int LeftOut = 0);

/// <summary>
/// Measures <see cref="LocalDrift"/> on the server as updates are received, in O(model) memory, from what
/// each client reports with its update (<see cref="ClientDrift"/>): R = Σ pᵢ‖Δᵢ‖² − ‖Σ pᵢΔᵢ‖² with
/// Δᵢ = yᵢ − x (x the server's model), the mean streamed through an exact <see cref="WeightedMean"/> and
/// the per-client norms kept by cohort position.
/// </summary>
internal sealed class DriftMeter
{
    [ThreadStatic]
    private static float[]? t_delta;

    private readonly WeightedMean _mean = new();
    private readonly double[] _squared;
    private readonly double[] _norms;
    private readonly double[] _weights;
    private readonly float[] _meanDelta;
    private double _aggregateNorm;
    private int _reported;
    private int _leftOut;

    public DriftMeter(int clients, int length, double cohortWeight)
    {
        _squared = new double[clients];
        _norms = new double[clients];
        _weights = new double[clients];
        _meanDelta = new float[length];
        _mean.ExpectedTotalWeight = cohortWeight > 0 ? cohortWeight : 1;
        _mean.Begin(length);
    }

    /// <summary>Records what the client at cohort position <paramref name="slot"/> reported; slots are distinct, so threads may call at once.</summary>
    public void Add(int slot, ClientDrift reported, ReadOnlySpan<float> global, double weight)
    {
        var delta = t_delta is { } held && held.Length == global.Length ? held : t_delta = new float[global.Length];
        LocalTraining.Delta(reported.Local.Span, global, delta);
        _squared[slot] = VectorOps.SquaredNorm(delta);
        _norms[slot] = reported.UpdateNorm;
        _weights[slot] = weight;
        _mean.Add(delta, weight);
        Interlocked.Increment(ref _reported);
    }

    /// <summary>Counts a client whose report carried no measurement: the round's drift is over the others, and says how many it left out.</summary>
    public void LeaveOut() => Interlocked.Increment(ref _leftOut);

    public void Aggregate(ReadOnlySpan<float> aggregate) => _aggregateNorm = Math.Sqrt(VectorOps.SquaredNorm(aggregate));

    /// <summary>The round's drift; null when no client reported what it needs (deployed clients that do not measure it).</summary>
    public LocalDrift? Result()
    {
        if (_reported == 0)
        {
            return null;
        }
        double total = _weights.Sum();
        if (total <= 0)
        {
            return new LocalDrift(0, 0, _aggregateNorm, _leftOut);
        }
        _mean.Complete(_meanDelta);
        double squared = 0, norms = 0;
        for (int i = 0; i < _weights.Length; i++)
        {
            squared += _weights[i] * _squared[i];
            norms += _weights[i] * _norms[i];
        }
        double drift = Math.Max(0, squared / total - VectorOps.SquaredNorm(_meanDelta));
        return new LocalDrift(drift, norms / total, _aggregateNorm, _leftOut);
    }
}
