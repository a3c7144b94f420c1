using System.Globalization;

namespace Cohort.Federated.Config;

public enum KeyType
{
    Text,
    Choice,
    Integer,
    Number,
    Boolean,
}

/// <summary>One experiment-file key: its type, default (null: required or optional), allowed values or range.</summary>
public sealed record KeySpec(string Key, KeyType Type, string? Default, string Description)
{
    public IReadOnlyList<string>? Choices { get; init; }

    public double Min { get; init; } = double.MinValue;

    public double Max { get; init; } = double.MaxValue;

    /// <summary>Whether the key may stay unset (no default, not required).</summary>
    public bool Optional { get; init; }

    /// <summary>Where the key applies, with its default for each selected value; null: always.</summary>
    public KeyCondition? AppliesWhen { get; init; }

    /// <summary>Whether the key holds a list (a YAML sequence, or items joined by commas).</summary>
    public bool IsList { get; init; }

    /// <summary>Checks a value and returns it normalised, or throws naming the key and what is allowed.</summary>
    public string Validate(string value)
    {
        value = value.Trim();
        switch (Type)
        {
            case KeyType.Choice:
                if (!Choices!.Contains(value, StringComparer.Ordinal))
                {
                    throw new ConfigException($"{Key}: '{value}' is not allowed; choose one of: {string.Join(", ", Choices!)}.");
                }
                return value;
            case KeyType.Integer:
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n < Min || n > Max)
                {
                    throw new ConfigException($"{Key}: '{value}' is not an integer{Range()}.");
                }
                return n.ToString(CultureInfo.InvariantCulture);
            case KeyType.Number:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d) || d < Min || d > Max)
                {
                    throw new ConfigException($"{Key}: '{value}' is not a number{Range()}.");
                }
                return d.ToString("R", CultureInfo.InvariantCulture);
            case KeyType.Boolean:
                return value.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" or "1" => "true",
                    "false" or "no" or "off" or "0" => "false",
                    _ => throw new ConfigException($"{Key}: '{value}' is not true or false."),
                };
            default:
                if (value.Length == 0)
                {
                    throw new ConfigException($"{Key}: an empty value is not allowed.");
                }
                return value;
        }
    }

    private string Range()
    {
        bool hasMin = Min > double.MinValue, hasMax = Max < double.MaxValue;
        var ci = CultureInfo.InvariantCulture;
        return hasMin && hasMax ? string.Create(ci, $" in [{Min}, {Max}]")
            : hasMin ? string.Create(ci, $" of at least {Min}")
            : hasMax ? string.Create(ci, $" of at most {Max}")
            : "";
    }
}
