namespace Cohort.Federated.Aggregation;

/// <summary>
/// An aggregator with state that lasts from one round to the next, kept in named vectors of the
/// server state (so checkpoints carry it and a resumed run goes on from it).
/// </summary>
public interface IStatefulAggregator
{
    /// <summary>Takes its vectors from <paramref name="vectors"/>, adding them (zeros) when absent; <paramref name="length"/> is the model's.</summary>
    void Attach(IDictionary<string, float[]> vectors, int length);
}
