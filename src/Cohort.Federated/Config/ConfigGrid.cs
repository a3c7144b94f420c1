namespace Cohort.Federated.Config;

/// <summary>One axis of a grid: an experiment key and the values it takes, in order.</summary>
internal sealed record GridAxis(string Key, IReadOnlyList<string> Values);

/// <summary>One point of a grid: a value for each axis, in the axes' order.</summary>
internal sealed record GridPoint(IReadOnlyList<KeyValuePair<string, string>> Values)
{
    /// <summary>The point as "key=value, key=value", for messages.</summary>
    public override string ToString() => string.Join(", ", Values.Select(v => v.Key + "=" + v.Value));
}

/// <summary>
/// The product of several axes over one experiment: every point is the base config with the axes'
/// values set, the first axis varying slowest. Every key and value is checked when the grid is
/// expanded, so a bad one is an error before any run starts.
/// </summary>
internal sealed class ConfigGrid
{
    public ConfigGrid(IReadOnlyList<GridAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var axis in axes)
        {
            ExperimentKeys.Get(axis.Key);
            if (!seen.Add(axis.Key))
            {
                throw new ConfigException($"{axis.Key}: the grid names this key twice.");
            }
            if (axis.Values.Count == 0)
            {
                throw new ConfigException($"{axis.Key}: the grid gives it no value.");
            }
            if (axis.Values.Distinct(StringComparer.Ordinal).Count() != axis.Values.Count)
            {
                throw new ConfigException($"{axis.Key}: the grid gives a value twice ({string.Join(",", axis.Values)}).");
            }
        }
        Axes = axes;
    }

    public IReadOnlyList<GridAxis> Axes { get; }

    /// <summary>An axis from "key=v1,v2,…"; a missing '=' or an empty list is an error naming the argument.</summary>
    public static GridAxis ParseAxis(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ConfigException($"--grid '{text}': expected key=value,value,….");
        }
        string key = text[..eq].Trim();
        var values = text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (values.Any(v => v.Length == 0))
        {
            throw new ConfigException($"--grid '{text}': {key} has an empty value.");
        }
        return new GridAxis(key, values);
    }

    /// <summary>Every point with its config; a bad key or value is a <see cref="ConfigException"/> naming the point.</summary>
    public IReadOnlyList<(GridPoint Point, ExperimentConfig Config)> Expand(ExperimentConfig baseConfig)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        IEnumerable<List<KeyValuePair<string, string>>> points = [[]];
        foreach (var axis in Axes)
        {
            points = points.SelectMany(p => axis.Values.Select(v => new List<KeyValuePair<string, string>>(p) { new(axis.Key, v) })).ToList();
        }
        var result = new List<(GridPoint, ExperimentConfig)>();
        foreach (var values in points)
        {
            var point = new GridPoint(values);
            var config = baseConfig.Clone();
            try
            {
                foreach (var (key, value) in values)
                {
                    config.Set(key, value);
                }
            }
            catch (ConfigException e)
            {
                throw new ConfigException($"grid point {point}: {e.Message}");
            }
            result.Add((point, config));
        }
        return result;
    }
}
