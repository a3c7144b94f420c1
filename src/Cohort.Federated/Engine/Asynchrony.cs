using System.Numerics.Tensors;

namespace Cohort.Federated.Engine;

/// <summary>
/// How a round loop that is not a barrier takes updates (FedBuff, Nguyen et al. 2022): the server steps
/// once <see cref="BufferSize"/> updates are in, whatever model version each was computed from; an update
/// τ steps stale counts with the polynomial staleness weight s(τ) = 1/√(1 + τ), and one more than
/// <see cref="MaxStaleness"/> steps stale is refused. <see cref="Concurrency"/> clients train at once;
/// a simulated client's work lasts its local steps times a log-normal factor with σ <see cref="DurationSigma"/>.
/// </summary>
public sealed record Asynchrony(int BufferSize, int Concurrency, int? MaxStaleness, double DurationSigma)
{
    /// <summary>The staleness τ of an update computed from model <paramref name="version"/> and taken into server step <paramref name="step"/>: the steps taken since.</summary>
    public static int Staleness(int step, int version) => step - version;

    /// <summary>FedBuff's polynomial staleness weight, (1 + τ)^(−1/2).</summary>
    public static double Weight(int staleness) => 1 / Math.Sqrt(1 + staleness);

    /// <summary>Whether an update <paramref name="staleness"/> steps stale is taken.</summary>
    public bool Takes(int staleness) => staleness >= 0 && (MaxStaleness is not { } max || staleness <= max);

    /// <summary>Starts the tally of one exchange's <paramref name="slots"/> updates.</summary>
    internal StaleUpdates Begin(int slots) => new(this, slots);
}

/// <summary>
/// One exchange's updates under <see cref="Asynchrony"/>: each update's weight w is scaled by s(τ), and the
/// aggregate (a mean over Σ w·s) by Σ w·s / Σ w, so that it is Σ wᵢ·s(τᵢ)·Δᵢ / Σ wᵢ as in FedBuff's
/// Σ s(τᵢ)·Δᵢ / K. With every update fresh both factors are 1 and nothing is scaled.
/// </summary>
internal sealed class StaleUpdates(Asynchrony asynchrony, int slots)
{
    private readonly double[] _weights = new double[slots];
    private readonly double[] _scaled = new double[slots];
    private readonly int[] _staleness = Enumerable.Repeat(-1, slots).ToArray();

    /// <summary>Takes the update at <paramref name="slot"/> (false: too stale) and scales its weight; slots are distinct, so threads may call at once.</summary>
    public bool Take(int slot, int staleness, ref double weight)
    {
        if (!asynchrony.Takes(staleness))
        {
            return false;
        }
        _weights[slot] = weight;
        _staleness[slot] = staleness;
        if (staleness > 0)
        {
            weight *= Asynchrony.Weight(staleness);
        }
        _scaled[slot] = weight;
        return true;
    }

    /// <summary>Σ w·s / Σ w over the updates taken, summed in slot order (1 when none is stale).</summary>
    public double Share()
    {
        double weights = 0, scaled = 0;
        for (int i = 0; i < _weights.Length; i++)
        {
            weights += _weights[i];
            scaled += _scaled[i];
        }
        return weights > 0 ? scaled / weights : 1;
    }

    /// <summary>The mean staleness of the updates taken (NaN when none was).</summary>
    public double MeanStaleness()
    {
        var taken = _staleness.Where(s => s >= 0).ToArray();
        return taken.Length == 0 ? double.NaN : taken.Average();
    }

    /// <summary>Turns the mean over Σ w·s into FedBuff's sum over Σ w.</summary>
    public void Scale(Span<float> aggregate)
    {
        double share = Share();
        if (share != 1)
        {
            TensorPrimitives.Multiply(aggregate, (float)share, aggregate);
        }
    }
}
