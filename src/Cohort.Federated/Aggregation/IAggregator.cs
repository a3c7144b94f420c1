namespace Cohort.Federated.Aggregation;

/// <summary>
/// Combines client updates into one. <see cref="Add"/> may be called from several workers at once and
/// in any order; the result must not depend on that order.
/// </summary>
public interface IAggregator
{
    string Name { get; }

    void Begin(int length);

    /// <summary>Starts an exchange whose updates are expected to weigh about <paramref name="expectedTotalWeight"/> in all (a scale for rules that sum exactly).</summary>
    void Begin(int length, double expectedTotalWeight) => Begin(length);

    /// <summary>A new round starts: a rule takes what it draws on from <paramref name="round"/>.</summary>
    void BeginRound(AggregationRound round)
    {
    }

    void Add(ReadOnlySpan<float> update, double weight);

    /// <summary>Writes the aggregate; returns the total weight of the updates received.</summary>
    double Complete(Span<float> result);
}
