using Cohort.Federated.Aggregation.Robust;

namespace Cohort.Federated.Aggregation;

/// <summary>
/// Σ wᵢ·uᵢ / Σ wᵢ, streamed in O(model) memory. Each term is rounded to 64-bit fixed point (2⁻⁴⁰
/// resolution) before it is added, and integer addition is associative, so the result is bit-identical
/// whatever order the updates arrive in. Weights are normalised by the expected total first so that
/// sums stay far from overflow.
/// </summary>
internal sealed class WeightedMean : ICheckpointedAggregator, IRehearsable
{
    public static AggregatorDeclaration Declaration { get; } = new("mean", "the weighted mean of the updates, streamed; with pre-aggregation rules on, the unweighted mean of the buffered updates", a => a.PreAggregation.Count == 0 ? new WeightedMean() : new UniformMean { PreAggregation = a.PreAggregation, Clipping = a.Clipping });

    private const double Scale = 1099511627776.0; // 2^40
    private readonly object _gate = new();
    private long[] _sum = [];
    private double _expectedTotal = 1;
    private long _weightSum;

    public string Name => "mean";

    /// <summary>The total weight the round expects (Σ wᵢ over the cohort); only a scale, the result divides by the weights actually received.</summary>
    public double ExpectedTotalWeight
    {
        get => _expectedTotal;
        set => _expectedTotal = value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"Expected total weight must be positive; got {value}.");
    }

    public void Begin(int length)
    {
        if (_sum.Length != length)
        {
            _sum = new long[length];
        }
        else
        {
            Array.Clear(_sum);
        }
        _weightSum = 0;
    }

    public void Begin(int length, double expectedTotalWeight)
    {
        ExpectedTotalWeight = expectedTotalWeight;
        Begin(length);
    }

    public void Add(ReadOnlySpan<float> update, double weight)
    {
        if (update.Length != _sum.Length)
        {
            throw new ArgumentException($"Aggregator: update of {update.Length} values for a model of {_sum.Length}.");
        }
        if (!(weight >= 0) || !double.IsFinite(weight))
        {
            throw new ArgumentException($"Aggregator: update weight must be a non-negative number; got {weight}.");
        }
        double p = weight / _expectedTotal;
        long pFixed = ToFixed(p, "weight");
        lock (_gate)
        {
            var sum = _sum;
            for (int i = 0; i < update.Length; i++)
            {
                sum[i] += ToFixed(p * update[i], "update");
            }
            _weightSum += pFixed;
        }
    }

    public double Complete(Span<float> result)
    {
        if (result.Length != _sum.Length)
        {
            throw new ArgumentException($"Aggregator: result of {result.Length} values for a model of {_sum.Length}.");
        }
        if (_weightSum == 0)
        {
            result.Clear();
            return 0;
        }
        double total = _weightSum / Scale;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)(_sum[i] / Scale / total);
        }
        return total * _expectedTotal;
    }

    /// <summary>Writes the running sums (exact integers) and the weight scale.</summary>
    public void Save(Stream destination)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        lock (_gate)
        {
            writer.Write(_sum.Length);
            writer.Write(_expectedTotal);
            writer.Write(_weightSum);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_sum.AsSpan()));
        }
    }

    /// <summary>Replaces the running sums with saved ones of the same length (call after <see cref="Begin(int)"/>).</summary>
    public void Restore(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        int length = reader.ReadInt32();
        if (length != _sum.Length)
        {
            throw new InvalidDataException($"Aggregator: a saved sum of {length} values for a model of {_sum.Length}.");
        }
        lock (_gate)
        {
            _expectedTotal = reader.ReadDouble();
            _weightSum = reader.ReadInt64();
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_sum.AsSpan()));
        }
    }

    private static long ToFixed(double value, string what)
    {
        double scaled = Math.Round(value * Scale);
        if (!(Math.Abs(scaled) < 9.2e18))
        {
            throw new ArithmeticException($"Aggregator: {what} value {value} is not finite or too large to aggregate exactly.");
        }
        return (long)scaled;
    }

    public void Rehearse(IReadOnlyList<float[]> updates, Span<float> result) => IRehearsable.OnFresh(new WeightedMean { ExpectedTotalWeight = Math.Max(1, updates.Count) }, updates, result);
}
