using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Stages;

/// <summary>
/// The order of the update stages, from the experiment's <c>stages</c> list (client hooks in that order,
/// server hooks in reverse); without the key, worker momentum, then uplink compression, then clipping.
/// A stage is on when its own key turns it on; the list orders the stages (one listed but off does nothing), and must name every stage that is on.
/// </summary>
internal static class StageOrder
{
    public const string Key = "stages";

    /// <summary>Every declared stage, in the default order.</summary>
    public static IReadOnlyList<StageDeclaration> Declared => [.. InDefaultOrder(ComponentRegistry.All).Cast<StageDeclaration>()];

    /// <summary>The <c>stages</c> key, its doc naming the stages among <paramref name="declarations"/> in their default order.</summary>
    public static KeySpec Spec(IEnumerable<ComponentDeclaration> declarations) =>
        new(Key, KeyType.Text, null, $"order of the update stages that are on: a list of {string.Join(", ", InDefaultOrder(declarations).Select(d => d.Name))} (default: that order)")
        {
            Optional = true,
            IsList = true,
        };

    private static IEnumerable<ComponentDeclaration> InDefaultOrder(IEnumerable<ComponentDeclaration> declarations) =>
        declarations.Where(d => d.Kind == ComponentKind.Stage).OrderBy(d => d.Order).ThenBy(d => d.Name, StringComparer.Ordinal);

    /// <summary>Every stage name, in the default order.</summary>
    public static IReadOnlyList<string> Default => [.. Declared.Select(d => d.Name)];

    /// <summary>A stage that can be placed: its name, the key that turns it on, and its stages when on (empty when off).</summary>
    public sealed record Candidate(string Name, string OnKey, IReadOnlyList<IUpdateStage> Stages);

    /// <summary>The stages that are on, in the experiment's order; a name that is not a stage, a repeat, or a stage on but unlisted is an error naming <c>stages</c>.</summary>
    public static UpdatePipeline Arrange(ExperimentConfig config, IReadOnlyList<Candidate> candidates)
    {
        var byName = candidates.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var order = Names(config, candidates);
        var stages = new List<IUpdateStage>();
        foreach (string name in order)
        {
            if (!byName.TryGetValue(name, out var candidate))
            {
                throw new ConfigException($"{Key}: '{name}' is not a stage; the stages are: {string.Join(", ", candidates.Select(c => c.Name))}.");
            }
            stages.AddRange(candidate.Stages);
        }
        var missing = candidates.FirstOrDefault(c => c.Stages.Count > 0 && !order.Contains(c.Name));
        if (missing is not null)
        {
            throw new ConfigException($"{Key}: '{missing.Name}' is on ({missing.OnKey}) but not in the list; add it where it should run.");
        }
        return new UpdatePipeline(stages);
    }

    private static List<string> Names(ExperimentConfig config, IReadOnlyList<Candidate> candidates)
    {
        if (!config.Has(Key))
        {
            return [.. candidates.Select(c => c.Name)];
        }
        var names = config.Get(Key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        string? repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        return repeated is null ? names : throw new ConfigException($"{Key}: '{repeated}' is listed twice.");
    }
}
