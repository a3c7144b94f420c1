using System.Globalization;

namespace Cohort.NN.Optimizers;

/// <summary>
/// Reads named values given as text (experiment-file keys, --set overrides) for a factory, and
/// rejects keys the chosen method does not read, naming them and the ones it does.
/// </summary>
internal sealed class ConfigParameters
{
    private readonly string _owner;
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly List<string> _known = [];

    public ConfigParameters(string owner, IReadOnlyDictionary<string, string>? values)
    {
        _owner = owner;
        _values = values ?? new Dictionary<string, string>();
    }

    public double Double(string key, double fallback) => Find(key) is { } text ? ParseDouble(key, text) : fallback;

    public double RequiredDouble(string key) => ParseDouble(key, Find(key) ?? throw Missing(key));

    public float Float(string key, float fallback) => (float)Double(key, fallback);

    public float RequiredFloat(string key) => (float)RequiredDouble(key);

    public int Int(string key, int fallback) => Find(key) is { } text ? ParseInt(key, text) : fallback;

    public int RequiredInt(string key) => ParseInt(key, Find(key) ?? throw Missing(key));

    public bool Bool(string key, bool fallback)
    {
        if (Find(key) is not { } text)
        {
            return fallback;
        }
        return text.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw new ArgumentException($"{_owner}: '{key}' must be true or false, got '{text}'."),
        };
    }

    /// <summary>Throws if a key was given that no read asked for.</summary>
    public void RejectUnknown()
    {
        foreach (string key in _values.Keys)
        {
            if (!_known.Contains(key))
            {
                string known = _known.Count == 0 ? "none" : string.Join(", ", _known);
                throw new ArgumentException($"{_owner}: unknown parameter '{key}'; known parameters: {known}.");
            }
        }
    }

    private string? Find(string key)
    {
        _known.Add(key);
        return _values.TryGetValue(key, out string? text) ? text : null;
    }

    private ArgumentException Missing(string key) => new($"{_owner}: parameter '{key}' is required.");

    private double ParseDouble(string key, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"{_owner}: '{key}' must be a finite number, got '{text}'.");
        }
        return value;
    }

    private int ParseInt(string key, string text)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new ArgumentException($"{_owner}: '{key}' must be an integer, got '{text}'.");
        }
        return value;
    }
}
