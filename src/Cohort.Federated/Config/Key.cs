namespace Cohort.Federated.Config;

/// <summary>Short constructors of <see cref="KeySpec"/>s, for the key tables and component declarations.</summary>
public static class Key
{
    public static KeySpec Choice(string key, string? fallback, string description, params string[] choices) =>
        new(key, KeyType.Choice, fallback, description) { Choices = choices };

    public static KeySpec Integer(string key, string? fallback, string description, double min = double.MinValue, double max = double.MaxValue) =>
        new(key, KeyType.Integer, fallback, description) { Min = min, Max = max };

    public static KeySpec Number(string key, string? fallback, string description, double min = double.MinValue, double max = double.MaxValue) =>
        new(key, KeyType.Number, fallback, description) { Min = min, Max = max };

    public static KeySpec Boolean(string key, string fallback, string description) => new(key, KeyType.Boolean, fallback, description);

    public static KeySpec Text(string key, string? fallback, string description) => new(key, KeyType.Text, fallback, description);

    /// <summary>The keys as they apply only while <paramref name="selector"/> is <paramref name="value"/>.</summary>
    public static IEnumerable<KeySpec> When(string selector, string value, params KeySpec[] keys) =>
        keys.Select(k => k with { AppliesWhen = new KeyCondition(selector, new Dictionary<string, KeySpec>(StringComparer.Ordinal) { [value] = k }) });
}
