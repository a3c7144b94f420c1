namespace Cohort.Federated.Algorithms;

/// <summary>What a method's clients send besides the update: named model-sized vectors and named scalars (each aggregated as a weighted mean).</summary>
public sealed record MessageLayout(IReadOnlyList<string> Vectors, IReadOnlyList<string> Scalars)
{
    public static MessageLayout None { get; } = new([], []);
}
