using Cohort.Federated.Stages;

namespace Cohort.Federated.State;

/// <summary>
/// One declared per-client vector: the component that keeps it and its name. A client-state store files
/// it by name (names are unique across a run's declarations), which is how saved stores hold it; each
/// exchange of a round has its own (<see cref="In"/>).
/// </summary>
public readonly record struct ClientVector(string Owner, string Name)
{
    /// <summary>The vector's copy for <paramref name="exchange"/>: exchange 0 keeps the bare name, so one-exchange runs and their saved state read as before.</summary>
    public ClientVector In(int exchange) => this with { Name = ExchangeState.Name(Name, exchange) };

    public override string ToString() => $"{Name} ({Owner})";
}

/// <summary>
/// The state one component (a method, a stage, the personal part of the model) keeps per client across
/// rounds in the client-state store: its owner's name and its named vectors. The component reads and
/// writes them only through the <see cref="ClientVector"/>s it declares; the store keeps, spills and
/// checkpoints any declared vector alike.
/// </summary>
public sealed record ClientStateDeclaration(string Owner)
{
    public IReadOnlyList<string> Vectors { get; private init; } = [];

    /// <summary>The declaration with a vector added.</summary>
    public ClientStateDeclaration Vector(string name) => this with { Vectors = [.. Vectors, name] };

    /// <summary>The declared vector <paramref name="name"/>.</summary>
    public ClientVector this[string name] => Vectors.Contains(name, StringComparer.Ordinal)
        ? new ClientVector(Owner, name)
        : throw new KeyNotFoundException($"The client state of {Owner} declares no vector '{name}'.");
}
