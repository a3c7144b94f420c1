using Cohort.Federated.Metrics;

namespace Cohort.Federated.Aggregation.Robust;

/// <summary>
/// Base of the aggregators that need every update of the round at once (O(cohort × model) memory,
/// kept only until the round closes). Updates are put in a canonical order (by content) before
/// aggregating, so the result does not depend on the order in which they arrived. The running state
/// saved mid-round is the updates held so far with their weights (<see cref="BufferedUpdates"/>).
/// </summary>
internal abstract class BufferedAggregator : ICheckpointedAggregator, IRehearsable
{
    private readonly object _gate = new();
    private readonly List<float[]> _pool = [];
    private readonly List<float[]> _updates = [];
    private readonly List<double> _weights = [];
    private int _length;

    public abstract string Name { get; }

    /// <summary>The pre-aggregation steps (clipping, bucketing, nearest-neighbour mixing), applied in order.</summary>
    public IReadOnlyList<IPreAggregation> PreAggregation { get; init; } = [];

    /// <summary>The round being aggregated (seeds the random steps such as bucketing).</summary>
    public int Round { get; set; }

    public ulong Seed { get; set; }

    /// <summary>Where the clipping rules among the steps and the rule report what they clipped (null: not counted).</summary>
    public ClippingMeter? Clipping { get; init; }

    /// <summary>Takes the round's number and seed; a rule that keeps state across rounds or scores on the server's batch takes those too.</summary>
    public virtual void BeginRound(AggregationRound round)
    {
        Round = round.Round;
        Seed = round.Seed;
    }

    public void Begin(int length)
    {
        lock (_gate)
        {
            _pool.AddRange(_updates);
            _updates.Clear();
            _weights.Clear();
            if (length != _length)
            {
                _pool.Clear();
                _length = length;
            }
        }
    }

    public void Add(ReadOnlySpan<float> update, double weight)
    {
        if (update.Length != _length)
        {
            throw new ArgumentException($"Aggregator {Name}: update of {update.Length} values for a model of {_length}.");
        }
        lock (_gate)
        {
            float[] copy;
            if (_pool.Count > 0)
            {
                copy = _pool[^1];
                _pool.RemoveAt(_pool.Count - 1);
            }
            else
            {
                copy = new float[_length];
            }
            update.CopyTo(copy);
            _updates.Add(copy);
            _weights.Add(weight);
        }
    }

    public double Complete(Span<float> result)
    {
        if (result.Length != _length)
        {
            throw new ArgumentException($"Aggregator {Name}: result of {result.Length} values for a model of {_length}.");
        }
        if (_updates.Count == 0)
        {
            result.Clear();
            return 0;
        }
        // Summed in sorted order: the same total whatever order the weights came in, restored ones included.
        double total = _weights.Order().Sum();
        Combine(_updates, result, new AggregationContext(Round, Seed, Clipping));
        Advance(result);
        return total;
    }

    /// <summary>What this rule would make of <paramref name="updates"/> this round, its state left as it is and not counted as clipping.</summary>
    public void Rehearse(IReadOnlyList<float[]> updates, Span<float> result)
    {
        if (updates.Count == 0)
        {
            result.Clear();
            return;
        }
        Combine(updates, result, new AggregationContext(Round, Seed, null));
    }

    private void Combine(IReadOnlyList<float[]> held, Span<float> result, AggregationContext context)
    {
        var order = Enumerable.Range(0, held.Count).ToArray();
        Array.Sort(order, (a, b) => UpdateOrder.Instance.Compare(held[a], held[b]));
        IReadOnlyList<float[]> updates = order.Select(i => held[i]).ToArray();
        foreach (var step in PreAggregation)
        {
            updates = step.Apply(updates, context);
        }
        Aggregate(updates, result, context);
    }

    public void Save(Stream destination)
    {
        lock (_gate)
        {
            BufferedUpdates.Write(destination, Name, _length, _updates, _weights);
        }
    }

    /// <summary>Replaces the held updates with saved ones (call after <see cref="Begin"/>, with the model's length).</summary>
    public void Restore(Stream source)
    {
        lock (_gate)
        {
            _pool.AddRange(_updates);
            _updates.Clear();
            _weights.Clear();
            BufferedUpdates.Read(source, Name, _length, (values, weight) =>
            {
                var copy = new float[_length];
                values.CopyTo(copy);
                _updates.Add(copy);
                _weights.Add(weight);
            });
        }
    }

    /// <summary>Combines the updates (canonically ordered, after the pre-aggregation steps) into the result.</summary>
    protected abstract void Aggregate(IReadOnlyList<float[]> updates, Span<float> result, AggregationContext context);

    /// <summary>Carries what the rule keeps across rounds forward once a round's aggregate is final (not after a rehearsal).</summary>
    protected virtual void Advance(ReadOnlySpan<float> aggregate)
    {
    }
}

/// <summary>What a robust aggregation step knows of the round, and where it reports clipping (null: a rehearsal, not counted).</summary>
public readonly record struct AggregationContext(int Round, ulong Seed, ClippingMeter? Clipping = null);

/// <summary>A step that transforms the set of updates before a robust aggregator combines them.</summary>
public interface IPreAggregation
{
    string Name { get; }

    IReadOnlyList<float[]> Apply(IReadOnlyList<float[]> updates, AggregationContext context);
}
