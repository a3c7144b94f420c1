namespace Cohort.Federated.Config;

/// <summary>
/// Merges key specs into one entry per key: a key several components declare (algorithm.server_lr)
/// applies wherever any of them is selected, with each one's own default.
/// </summary>
internal static class KeyTable
{
    public static IReadOnlyDictionary<string, KeySpec> Merge(IEnumerable<KeySpec> specs)
    {
        var order = new List<string>();
        var table = new Dictionary<string, KeySpec>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!table.TryGetValue(spec.Key, out var known))
            {
                order.Add(spec.Key);
                // A conditional key's default depends on the selected value, so the merged entry has none.
                table[spec.Key] = spec.AppliesWhen is null ? spec : spec with { Default = null, Optional = true };
                continue;
            }
            if (known.AppliesWhen is not { } condition || spec.AppliesWhen is not { } more || condition.Selector != more.Selector || known.Type != spec.Type)
            {
                throw new InvalidOperationException($"{spec.Key} is declared twice in ways that do not merge (both must apply under the same selector, with the same type).");
            }
            var byValue = new Dictionary<string, KeySpec>(condition.ByValue, StringComparer.Ordinal);
            foreach (var (value, own) in more.ByValue)
            {
                if (!byValue.TryAdd(value, own))
                {
                    throw new InvalidOperationException($"{spec.Key} is declared twice for {condition.Selector} {value}.");
                }
            }
            // The merged range spans every component's, so that setting a key admits any value one of them allows
            // (pfedme's β above fedavgm's 1); the selected component's own range is checked once it is known.
            table[spec.Key] = known with { AppliesWhen = condition with { ByValue = byValue }, Min = Math.Min(known.Min, spec.Min), Max = Math.Max(known.Max, spec.Max) };
        }
        return order.ToDictionary(k => k, k => table[k], StringComparer.Ordinal);
    }
}
