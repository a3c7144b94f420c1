namespace Cohort.Federated.Aggregation.Robust;

/// <summary>The minimum number of updates a robust rule needs, reported in words.</summary>
internal static class Requirement
{
    public static void AtLeast(string aggregator, int n, int needed, string formula)
    {
        if (n < needed)
        {
            throw new RobustAggregationException($"aggregator {aggregator} needs at least {needed} updates ({formula}); the round has {n}. Sample more clients per round or lower aggregator.f.");
        }
    }
}

/// <summary>A robust aggregator cannot run on the updates it was given.</summary>
internal sealed class RobustAggregationException(string message) : Exception(message);
