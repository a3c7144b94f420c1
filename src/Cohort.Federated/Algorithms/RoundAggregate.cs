namespace Cohort.Federated.Algorithms;

/// <summary>
/// What the server receives from one exchange of a round: the aggregate of the updates (after the
/// server stages), the weighted means of the method's other vectors and scalars, and the cohort's
/// share of the total client weight (for methods whose state averages over all clients).
/// </summary>
public sealed record RoundAggregate(
    int Exchange,
    float[] Update,
    IReadOnlyDictionary<string, float[]> Vectors,
    IReadOnlyDictionary<string, double> Scalars,
    double CohortWeight,
    double TotalWeight)
{
    /// <summary>Σ_{i∈S} wᵢ / Σ_all wᵢ: |S|/N with uniform weights.</summary>
    public double Participation => Share(CohortWeight, TotalWeight);

    /// <summary>The cohort's share of the total weight (0 when there is no weight).</summary>
    public static double Share(double cohortWeight, double totalWeight) => totalWeight > 0 ? cohortWeight / totalWeight : 0;
}
