namespace Cohort.Federated.Metrics;

/// <summary>
/// Counts, over one round, the vectors the clipping rules in use saw and how many of them each rule
/// shortened (norm clipping, centered clipping, later DP clipping), and reports the share as
/// <c>clipped_fraction</c>. Counts are integers added atomically, so the share does not depend on
/// the order in which clients or threads report.
/// </summary>
public sealed class ClippingMeter
{
    public const string Metric = "clipped_fraction";

    private long _clipped;
    private long _seen;

    /// <summary>A rule clipped <paramref name="clipped"/> of the <paramref name="seen"/> vectors it was given.</summary>
    public void Count(int clipped, int seen)
    {
        Interlocked.Add(ref _clipped, clipped);
        Interlocked.Add(ref _seen, seen);
    }

    /// <summary>The share clipped since the last reset (NaN when no clipping rule ran).</summary>
    public double Fraction
    {
        get
        {
            long seen = Interlocked.Read(ref _seen);
            return seen > 0 ? (double)Interlocked.Read(ref _clipped) / seen : double.NaN;
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _clipped, 0);
        Interlocked.Exchange(ref _seen, 0);
    }

    /// <summary>Adds <c>clipped_fraction</c> to the round's metrics when a clipping rule ran in it.</summary>
    public void Record(RoundMetrics metrics)
    {
        if (Interlocked.Read(ref _seen) > 0)
        {
            metrics.Extra[Metric] = Fraction;
        }
    }
}
