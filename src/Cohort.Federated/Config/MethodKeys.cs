using System.Globalization;

namespace Cohort.Federated.Config;

/// <summary>
/// Keys that apply only with certain values of another key (algorithm.* with algorithm.name,
/// client.tau.* with client.tau.distribution): optional in the schema, defaulted per value here, and
/// an error when set where they do not apply.
/// </summary>
public static class MethodKeys
{
    /// <summary>A default of the form "1 - key" is one minus that key's value (FedAvgM's η = 1 − β).</summary>
    private const string OneMinus = "1 - ";

    private static readonly (string Key, string Owner, string[] Values, string? Default)[] Table =
    [
        ("algorithm.mu", "algorithm.name", ["fedprox"], "0.01"),
        ("algorithm.option", "algorithm.name", ["scaffold"], "II"),
        ("algorithm.server_lr", "algorithm.name", ["scaffold", "fednova"], "1"),
        ("algorithm.server_lr", "algorithm.name", ["fedavgm"], OneMinus + "algorithm.server_momentum"),
        ("algorithm.server_lr", "algorithm.name", ["fedadagrad"], "0.03162"),
        ("algorithm.server_lr", "algorithm.name", ["fedadam", "fedyogi"], "0.003162"),
        ("algorithm.server_momentum", "algorithm.name", ["fedavgm"], "0.9"),
        ("algorithm.beta1", "algorithm.name", ["fedadagrad"], "0"),
        ("algorithm.beta1", "algorithm.name", ["fedadam", "fedyogi"], "0.9"),
        ("algorithm.beta2", "algorithm.name", ["fedadam", "fedyogi"], "0.99"),
        ("algorithm.tau", "algorithm.name", ["fedadagrad"], "0.01"),
        ("algorithm.tau", "algorithm.name", ["fedadam", "fedyogi"], "0.0001"),
        ("algorithm.beta", "algorithm.name", ["mime", "mimelite"], "0.9"),
        ("algorithm.alpha", "algorithm.name", ["feddyn"], "0.01"),
        ("algorithm.q", "algorithm.name", ["qffl"], "1"),
        ("algorithm.shift_rate", "algorithm.name", ["diana"], "1/(ω + 1)"),
        ("algorithm.sync_probability", "algorithm.name", ["marina"], "0.1"),
        ("client.tau.min", "client.tau.distribution", ["uniform"], "1"),
        ("client.tau.max", "client.tau.distribution", ["uniform"], "10"),
        ("client.tau.median", "client.tau.distribution", ["lognormal"], "5"),
        ("client.tau.sigma", "client.tau.distribution", ["lognormal"], "0.5"),
    ];

    /// <summary>The schema entries of these keys: optional, each described with where it applies and its defaults.</summary>
    public static IEnumerable<KeySpec> Specs(Func<string, KeySpec> shape) =>
        Table.GroupBy(t => t.Key).Select(g =>
        {
            var spec = shape(g.Key);
            string where = string.Join("; ", g.Select(t => $"{string.Join(", ", t.Values)}: {t.Default}"));
            return spec with { Default = null, Description = $"{spec.Description} (default {where})", Optional = true };
        });

    /// <summary>Throws when a key is set but does not apply to the value of its owner key.</summary>
    public static void CheckApplicable(ExperimentConfig config)
    {
        foreach (var group in Table.GroupBy(t => t.Key))
        {
            if (!config.Has(group.Key))
            {
                continue;
            }
            string owner = group.First().Owner;
            string value = config.Get(owner);
            if (!group.Any(t => t.Values.Contains(value, StringComparer.Ordinal)))
            {
                var users = group.SelectMany(t => t.Values);
                throw new ConfigException($"{group.Key} applies to {owner} {string.Join(", ", users)}, not {value}.");
            }
        }
    }

    /// <summary>The key's value: as set, else the default for the owner's current value.</summary>
    public static string Get(ExperimentConfig config, string key)
    {
        if (config.Has(key))
        {
            return config.Get(key);
        }
        foreach (var t in Table)
        {
            if (t.Key == key && t.Values.Contains(config.Get(t.Owner), StringComparer.Ordinal))
            {
                return t.Default switch
                {
                    null => throw new ConfigException($"{key} is required with {t.Owner} {config.Get(t.Owner)}."),
                    string d when d.StartsWith(OneMinus, StringComparison.Ordinal) => Math.Round(1 - GetDouble(config, d[OneMinus.Length..]), 12).ToString("R", CultureInfo.InvariantCulture),
                    string d => d,
                };
            }
        }
        throw new ConfigException($"{key} does not apply to {Table.First(t => t.Key == key).Owner} {config.Get(Table.First(t => t.Key == key).Owner)}.");
    }

    public static double GetDouble(ExperimentConfig config, string key) => double.Parse(Get(config, key), CultureInfo.InvariantCulture);

    public static int GetInt(ExperimentConfig config, string key) => int.Parse(Get(config, key), CultureInfo.InvariantCulture);
}
