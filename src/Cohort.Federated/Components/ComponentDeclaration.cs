using Cohort.Federated.Config;

namespace Cohort.Federated.Components;

/// <summary>
/// A component's description of itself: its kind and name, a one-line doc, the keys it reads (named
/// relative to its kind's prefix: "mu" for algorithm.mu) with their defaults, and how it is built.
/// A public static property of this type, anywhere in a loaded assembly, registers it (<see cref="ComponentRegistry"/>).
/// </summary>
public abstract record ComponentDeclaration(ComponentKind Kind, string Name, string Doc)
{
    /// <summary>The keys this component reads, relative to its kind's prefix; they apply only while it is selected.</summary>
    public IReadOnlyList<KeySpec> Keys { get; init; } = [];

    /// <summary>Position among the components of a kind that run together (pre-aggregation rules, stages): lower runs first.</summary>
    public int Order { get; init; }
}

/// <summary>A declaration with its factory: <typeparamref name="TArgs"/> in, the component out.</summary>
public record ComponentDeclaration<TArgs, TProduct>(ComponentKind Kind, string Name, string Doc, Func<TArgs, TProduct> Create)
    : ComponentDeclaration(Kind, Name, Doc);
