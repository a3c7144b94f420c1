namespace Cohort.Federated.Aggregation;

/// <summary>
/// Combines client updates into one. <see cref="Add"/> may be called from several workers at once and
/// in any order; the result must not depend on that order.
/// </summary>
public interface IAggregator
{
    string Name { get; }

    void Begin(int length);

    void Add(ReadOnlySpan<float> update, double weight);

    /// <summary>Writes the aggregate; returns the total weight of the updates received.</summary>
    double Complete(Span<float> result);
}
