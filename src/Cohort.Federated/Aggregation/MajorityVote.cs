using Cohort.Federated.Config;

namespace Cohort.Federated.Aggregation;

/// <summary>
/// signSGD with majority vote (Bernstein et al. 2019): each coordinate takes the sign of the sum of the
/// clients' signs, scaled by the mean magnitude the clients sent there (with the sign compressor: the
/// mean of their per-tensor scales). Votes are counted unweighted; counts and the magnitude sum are
/// integers and 64-bit fixed point, so the result does not depend on arrival order.
/// </summary>
internal sealed class MajorityVote : IAggregator, IRehearsable
{
    public static AggregatorDeclaration Declaration { get; } = new("majority-vote", "signSGD with majority vote (Bernstein et al. 2019): the sign most clients send, per coordinate", a => a.PreAggregation.Count == 0 ? new MajorityVote() : throw new ConfigException("aggregator.name: majority-vote counts the clients' signs; it takes no pre-aggregation (aggregator.nnm, aggregator.bucketing)."));

    private const double Scale = 1099511627776.0; // 2^40
    private readonly object _gate = new();
    private int[] _votes = [];
    private long[] _magnitude = [];
    private int _count;
    private double _weight;

    public string Name => "majority-vote";

    public void Begin(int length)
    {
        if (_votes.Length != length)
        {
            _votes = new int[length];
            _magnitude = new long[length];
        }
        else
        {
            Array.Clear(_votes);
            Array.Clear(_magnitude);
        }
        _count = 0;
        _weight = 0;
    }

    public void Add(ReadOnlySpan<float> update, double weight)
    {
        if (update.Length != _votes.Length)
        {
            throw new ArgumentException($"Aggregator: update of {update.Length} values for a model of {_votes.Length}.");
        }
        lock (_gate)
        {
            for (int i = 0; i < update.Length; i++)
            {
                float v = update[i];
                _votes[i] += v > 0 ? 1 : v < 0 ? -1 : 0;
                _magnitude[i] += (long)Math.Round(Math.Abs((double)v) * Scale);
            }
            _count++;
            _weight += weight;
        }
    }

    public double Complete(Span<float> result)
    {
        if (result.Length != _votes.Length)
        {
            throw new ArgumentException($"Aggregator: result of {result.Length} values for a model of {_votes.Length}.");
        }
        for (int i = 0; i < result.Length; i++)
        {
            float magnitude = _count == 0 ? 0 : (float)(_magnitude[i] / Scale / _count);
            result[i] = Math.Sign(_votes[i]) * magnitude;
        }
        return _weight;
    }

    public void Rehearse(IReadOnlyList<float[]> updates, Span<float> result) => IRehearsable.OnFresh(new MajorityVote(), updates, result);
}
