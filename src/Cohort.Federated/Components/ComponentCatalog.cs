using System.Reflection;
using Cohort.Federated.Config;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Components;

/// <summary>The registered declarations in order, and the key table they make with the general keys.</summary>
internal sealed class ComponentCatalog
{
    public ComponentCatalog(IReadOnlyList<(ComponentDeclaration Declaration, Assembly Source)> found)
    {
        var home = typeof(ComponentCatalog).Assembly;
        BuiltIn = found.Where(f => f.Source == home).Select(f => f.Declaration).ToHashSet<ComponentDeclaration>(ReferenceEqualityComparer.Instance);
        Declarations = found.Select(f => f.Declaration).OrderBy(d => d.Kind).ThenBy(d => d.Order).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        foreach (var twice in Declarations.GroupBy(d => (d.Kind, d.Name)).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"{ComponentSlot.Label(twice.Key.Kind)} {twice.Key.Name} is declared {twice.Count()} times.");
        }
        Keys = KeyTable.Merge(ExperimentKeys.General.Append(StageOrder.Spec(Declarations)).Concat(Enum.GetValues<ComponentKind>().SelectMany(SlotKeys)));
    }

    public IReadOnlyList<ComponentDeclaration> Declarations { get; }

    /// <summary>The declarations of Cohort.Federated itself.</summary>
    public IReadOnlySet<ComponentDeclaration> BuiltIn { get; }

    /// <summary>Every key an experiment file may hold.</summary>
    public IReadOnlyDictionary<string, KeySpec> Keys { get; }

    /// <summary>A declaration's keys as they stand in the file under <paramref name="slot"/>: full names, applying while it is selected.</summary>
    public static IEnumerable<KeySpec> Placed(ComponentDeclaration declaration, ComponentSlot slot) =>
        declaration.Keys.Select(k => k with { Key = slot.Prefix + k.Key }).Select(k => slot.Selector is null ? k
            : k with { AppliesWhen = new KeyCondition(slot.Selector, new Dictionary<string, KeySpec>(StringComparer.Ordinal) { [declaration.Name] = k }) });

    /// <summary>The selector keys of a kind (choices: the registered names) and its components' keys.</summary>
    private IEnumerable<KeySpec> SlotKeys(ComponentKind kind)
    {
        var names = Declarations.Where(d => d.Kind == kind).Select(d => d.Name).ToArray();
        foreach (var slot in ComponentSlot.Of(kind))
        {
            if (slot.Selector is not null)
            {
                yield return Key.Choice(slot.Selector, slot.Default, slot.Doc, names);
            }
            foreach (var spec in Declarations.Where(d => d.Kind == kind).SelectMany(d => Placed(d, slot)))
            {
                yield return spec;
            }
        }
    }
}
