namespace Cohort.Federated.Config;

/// <summary>
/// A key that applies only while <see cref="Selector"/> has one of some values (algorithm.mu with
/// algorithm.name fedprox): each value's own spec, holding its default and doc.
/// </summary>
public sealed record KeyCondition(string Selector, IReadOnlyDictionary<string, KeySpec> ByValue)
{
    /// <summary>The selector's values where the key applies, in name order.</summary>
    public IEnumerable<string> Values => ByValue.Keys.Order(StringComparer.Ordinal);

    /// <summary>The error for <paramref name="key"/> set while <paramref name="selected"/> is selected.</summary>
    public string NotApplicable(string key, string selected) =>
        $"{key} applies to {Selector} {string.Join(", ", Values)}; the selected one is {selected}.";
}
