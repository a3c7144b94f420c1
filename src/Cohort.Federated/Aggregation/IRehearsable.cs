namespace Cohort.Federated.Aggregation;

/// <summary>
/// An aggregator that can show what it would make of a set of updates in its current state (the
/// round's seed, the history it keeps, its scoring batch) without changing that state or the updates
/// it holds: what an omniscient attacker that knows the defence simulates. Updates count equally.
/// </summary>
internal interface IRehearsable
{
    void Rehearse(IReadOnlyList<float[]> updates, Span<float> result);

    /// <summary>A rehearsal on a fresh instance, for the rules that keep nothing from one round to the next.</summary>
    static void OnFresh(IAggregator fresh, IReadOnlyList<float[]> updates, Span<float> result)
    {
        fresh.Begin(result.Length);
        foreach (var update in updates)
        {
            fresh.Add(update, 1);
        }
        fresh.Complete(result);
    }
}
