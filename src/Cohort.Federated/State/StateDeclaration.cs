namespace Cohort.Federated.State;

/// <summary>A declared vector: its name and its length (null: the model's).</summary>
public readonly record struct VectorField(string Name, int? Length)
{
    public int LengthFor(int modelLength) => Length ?? modelLength;
}

/// <summary>
/// The state one component (a method, a stage, an aggregator, the broadcast) keeps on the server across
/// rounds: its owner's name, its named vectors (model-sized or of a given length) and its named scalars.
/// Checkpoints save and restore every declared field; vector names are unique across a server's
/// records, because a method broadcasts its vectors by name.
/// </summary>
public sealed record StateDeclaration(string Owner)
{
    public IReadOnlyList<VectorField> Vectors { get; private init; } = [];

    public IReadOnlyList<string> Scalars { get; private init; } = [];

    /// <summary>The declaration with a vector added (model-sized unless <paramref name="length"/> is given).</summary>
    public StateDeclaration Vector(string name, int? length = null) => this with { Vectors = [.. Vectors, new VectorField(name, length)] };

    /// <summary>The declaration with a scalar added (0 until set).</summary>
    public StateDeclaration Scalar(string name) => this with { Scalars = [.. Scalars, name] };
}
