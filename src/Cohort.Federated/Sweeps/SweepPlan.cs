using System.Globalization;
using Cohort.Federated.Config;

namespace Cohort.Federated.Sweeps;

/// <summary>One run of a sweep: a grid point and a seed, the run folder's name and the checked experiment.</summary>
internal sealed record SweepRun(GridPoint Point, int Seed, string Name, ExperimentConfig Config, Experiment Experiment);

/// <summary>
/// The runs of a sweep: every point of a grid with every seed, each checked as a whole experiment and
/// named from its values (key's last part=value, joined by _, then seed=N), all before any run starts.
/// </summary>
internal static class SweepPlan
{
    public const string SeedKey = "seed";

    /// <summary>
    /// The runs, grid points in order and seeds within each. <paramref name="parallel"/> runs at once share
    /// the cores: where threads is automatic (0) each run gets its share, which changes no result.
    /// </summary>
    public static IReadOnlyList<SweepRun> Build(ExperimentConfig config, ConfigGrid grid, IReadOnlyList<int> seeds, int parallel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(seeds);
        if (grid.Axes.Any(a => a.Key == SeedKey))
        {
            throw new ConfigException($"{SeedKey}: give the seeds with --seeds or --seed-list, not --grid.");
        }
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
        {
            throw new ConfigException($"{SeedKey}: the sweep needs one or more distinct seeds; got [{string.Join(",", seeds)}].");
        }
        var labels = Labels(grid.Axes.Select(a => a.Key).ToList());
        var runs = new List<SweepRun>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (point, pointConfig) in grid.Expand(config))
        {
            foreach (int seed in seeds)
            {
                var run = pointConfig.Clone();
                run.Set(SeedKey, seed.ToString(CultureInfo.InvariantCulture));
                if (parallel > 1 && run.GetInt("threads") == 0)
                {
                    run.Set("threads", Math.Max(1, Environment.ProcessorCount / parallel).ToString(CultureInfo.InvariantCulture));
                }
                Experiment experiment;
                try
                {
                    experiment = Experiment.From(run);
                }
                catch (ConfigException e)
                {
                    throw new ConfigException($"grid point {point}: {e.Message}");
                }
                string name = string.Join("_", point.Values.Select((v, i) => labels[i] + "=" + Safe(v.Value)).Append($"{SeedKey}={seed.ToString(CultureInfo.InvariantCulture)}"));
                if (names.TryGetValue(name, out string? other))
                {
                    throw new ConfigException($"grid points {other} and {point} would share the run folder {name}; give values that differ in letters or digits.");
                }
                names[name] = point.ToString();
                runs.Add(new SweepRun(point, seed, name, run, experiment));
            }
        }
        return runs;
    }

    /// <summary>Each key's last part (client.lr: lr; for a name the part before: compression.uplink.name: uplink), or the whole key where another key has the same.</summary>
    private static List<string> Labels(List<string> keys)
    {
        var shortNames = keys.Select(k => k.Split('.') is var parts && parts[^1] == "name" && parts.Length > 1 ? parts[^2] : parts[^1]).ToList();
        return keys.Select((k, i) => shortNames.Count(l => l == shortNames[i]) > 1 ? k : shortNames[i]).ToList();
    }

    // A folder name of letters, digits and . + - only, whatever the value holds (a path, a space).
    private static string Safe(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' ? c : '_').ToArray());
}
