namespace Cohort.Federated.Aggregation;

/// <summary>
/// An aggregator whose running state (the sum of the updates added so far) can be saved mid-round and
/// restored after <see cref="IAggregator.Begin(int)"/>, so a server that restarts keeps the updates it accepted.
/// </summary>
internal interface ICheckpointedAggregator : IAggregator
{
    void Save(Stream destination);

    void Restore(Stream source);
}
