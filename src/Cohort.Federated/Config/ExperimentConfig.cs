using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cohort.Federated.Config;

/// <summary>
/// An experiment's settings as flat dotted keys (nested YAML mappings are flattened: dataset: {name: mnist}
/// is dataset.name). Every key is checked against <see cref="ExperimentKeys"/> when it is set.
/// </summary>
public sealed class ExperimentConfig
{
    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    public static ExperimentConfig FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"experiment file {path} does not exist.");
        }
        return FromYaml(File.ReadAllText(path), path);
    }

    public static ExperimentConfig FromYaml(string text, string source)
    {
        var config = new ExperimentConfig();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        if (stream.Documents.Count == 0)
        {
            return config;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigException($"{source}: the experiment file must be a mapping of keys to values.");
        }
        config.Flatten(root, "", source);
        return config;
    }

    /// <summary>Applies a `key=value` override.</summary>
    public void Set(string assignment)
    {
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ConfigException($"--set '{assignment}': expected key=value.");
        }
        Set(assignment[..eq].Trim(), assignment[(eq + 1)..]);
    }

    public void Set(string key, string value) => _values[key] = ExperimentKeys.Get(key).Validate(value);

    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The value set, else the default (for a key that applies only with some selected component, that component's); throws for a required key that is missing.</summary>
    public string Get(string key)
    {
        if (_values.TryGetValue(key, out string? value))
        {
            return value;
        }
        var spec = ExperimentKeys.Get(key);
        if (spec.AppliesWhen is { } condition)
        {
            string selected = Get(condition.Selector);
            spec = condition.ByValue.TryGetValue(selected, out var own) ? own : throw new ConfigException(condition.NotApplicable(key, selected));
            return DefaultOf(spec) ?? throw new ConfigException($"{key} is required with {condition.Selector} {selected} ({spec.Description}).");
        }
        return spec.Default ?? throw new ConfigException($"{key} is required ({spec.Description}){(spec.Choices is null ? "" : $"; one of: {string.Join(", ", spec.Choices)}")}.");
    }

    /// <summary>The value set, else the default; null when there is none or the key does not apply to the selected component.</summary>
    public string? GetOptional(string key)
    {
        if (_values.TryGetValue(key, out string? value))
        {
            return value;
        }
        var spec = ExperimentKeys.Get(key);
        if (spec.AppliesWhen is { } condition)
        {
            return condition.ByValue.TryGetValue(Get(condition.Selector), out var own) ? DefaultOf(own) : null;
        }
        return spec.Default;
    }

    /// <summary>Throws for a key that is set while the component it belongs to is not selected, naming the selected one.</summary>
    public void CheckApplicable()
    {
        foreach (var (key, value) in _values)
        {
            if (ExperimentKeys.Get(key).AppliesWhen is { } condition)
            {
                string selected = Get(condition.Selector);
                var own = condition.ByValue.TryGetValue(selected, out var spec) ? spec : throw new ConfigException(condition.NotApplicable(key, selected));
                // Components sharing a key may allow different values.
                own.Validate(value);
            }
        }
    }

    public int GetInt(string key)
    {
        long value = long.Parse(Get(key), CultureInfo.InvariantCulture);
        return value > int.MaxValue ? throw new ConfigException($"{key}: {value} is too large.") : (int)value;
    }

    public int? GetOptionalInt(string key) => GetOptional(key) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    public double GetDouble(string key) => double.Parse(Get(key), CultureInfo.InvariantCulture);

    public double? GetOptionalDouble(string key) => GetOptional(key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;

    public bool GetBool(string key) => Get(key) == "true";

    /// <summary>Every key with its value (set or default), as nested YAML: the resolved config of a run.</summary>
    public string ToYaml()
    {
        var resolved = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in ExperimentKeys.All.Values)
        {
            if (_values.TryGetValue(spec.Key, out string? v) || (v = spec.Default) is not null)
            {
                resolved[spec.Key] = v;
            }
        }
        var sb = new StringBuilder();
        string[] previous = [];
        foreach (var (key, value) in resolved)
        {
            string[] parts = key.Split('.');
            int common = 0;
            while (common < parts.Length - 1 && common < previous.Length - 1 && parts[common] == previous[common])
            {
                common++;
            }
            for (int level = common; level < parts.Length - 1; level++)
            {
                sb.Append(' ', level * 2).Append(parts[level]).Append(":\n");
            }
            sb.Append(' ', (parts.Length - 1) * 2).Append(parts[^1]).Append(": ").Append(Quote(value)).Append('\n');
            previous = parts;
        }
        return sb.ToString();
    }

    public ExperimentConfig Clone()
    {
        var copy = new ExperimentConfig();
        foreach (var (k, v) in _values)
        {
            copy._values[k] = v;
        }
        return copy;
    }

    /// <summary>A component's default: a value, or "1 - key", one minus that key's value (FedAvgM's η = 1 − β).</summary>
    private string? DefaultOf(KeySpec spec)
    {
        const string OneMinus = "1 - ";
        return spec.Default is { } d && d.StartsWith(OneMinus, StringComparison.Ordinal)
            ? Math.Round(1 - GetDouble(d[OneMinus.Length..]), 12).ToString("R", CultureInfo.InvariantCulture)
            : spec.Default;
    }

    private void Flatten(YamlMappingNode node, string prefix, string source)
    {
        foreach (var (keyNode, valueNode) in node.Children)
        {
            string name = ((YamlScalarNode)keyNode).Value ?? "";
            string key = prefix.Length == 0 ? name : prefix + "." + name;
            switch (valueNode)
            {
                case YamlMappingNode child:
                    Flatten(child, key, source);
                    break;
                case YamlScalarNode scalar:
                    SetAt(keyNode, key, scalar.Value ?? "", source);
                    break;
                case YamlSequenceNode list when ExperimentKeys.Get(key).IsList && list.Children.All(item => item is YamlScalarNode):
                    // A list key (stages) holds its items joined by commas, as --set writes it.
                    SetAt(keyNode, key, string.Join(", ", list.Children.Select(item => ((YamlScalarNode)item).Value)), source);
                    break;
                default:
                    throw new ConfigException($"{source}, line {keyNode.Start.Line}: {key} must be a single value, not a list.");
            }
        }
    }

    private void SetAt(YamlNode keyNode, string key, string value, string source)
    {
        try
        {
            Set(key, value);
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"{source}, line {keyNode.Start.Line}: {e.Message}");
        }
    }

    private static string Quote(string value) =>
        value.Length == 0 || value.Any(c => c is ':' or '#' or '\'' or '"' or '{' or '}' or '[' or ']' or ',') || value != value.Trim()
            ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'"
            : value;
}
