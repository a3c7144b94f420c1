using System.Globalization;
using Cohort.Federated.Config;
using Cohort.Federated.Stages;

namespace Cohort.Federated.Components;

/// <summary>
/// Every experiment key with its type, default, range and doc, grouped by component: as plain text
/// (<c>cohort keys [component]</c>) and as the Markdown of docs/keys.md. Both derive from the
/// declarations, so they cannot drift from what the YAML validation accepts.
/// </summary>
internal static class KeyReference
{
    /// <summary>The name that selects the keys no component owns.</summary>
    public const string General = "general";

    /// <summary>Writes the keys of <paramref name="component"/> (a component's name, or "general"), or of everything when null; an unknown name is a ConfigException listing the known ones.</summary>
    public static void Write(TextWriter output, string? component)
    {
        var declarations = ComponentRegistry.All.Where(d => component is null || d.Name == component).ToList();
        if (component is not null && component != General && declarations.Count == 0)
        {
            var known = ComponentRegistry.All.Select(d => d.Name).Prepend(General).Distinct().Order(StringComparer.Ordinal);
            throw new ConfigException($"keys: no component is named '{component}'; known: {string.Join(", ", known)}.");
        }
        if (component is null or General)
        {
            output.WriteLine("general keys");
            WriteRows(output, GeneralKeys(ComponentRegistry.All).Select(k => Row(k, Condition(k))));
        }
        foreach (var declaration in declarations)
        {
            output.WriteLine();
            output.WriteLine($"{ComponentSlot.Label(declaration.Kind)} {declaration.Name}: {declaration.Doc}");
            WriteRows(output, Placed(declaration).Select(p => Row(p.Key, p.Slot.Selector is null ? "" : $"with {p.Slot.Selector} {declaration.Name}")));
        }
    }

    /// <summary>The Markdown of docs/keys.md: the general keys, then each built-in component with its keys.</summary>
    public static string Markdown()
    {
        var builtIn = ComponentRegistry.All.Where(ComponentRegistry.IsBuiltIn).ToList();
        var text = new StringWriter { NewLine = "\n" };
        text.WriteLine("# Experiment keys");
        text.WriteLine();
        text.WriteLine("Generated from the components' declarations (`KeyReference.Markdown`); `cohort keys [component]` prints the same.");
        text.WriteLine("A component's keys apply only while it is selected; set otherwise, they are an error.");
        text.WriteLine();
        text.WriteLine("## General");
        text.WriteLine();
        WriteTable(text, GeneralKeys(builtIn).Select(k => Row(k, Condition(k))));
        foreach (var kind in Enum.GetValues<ComponentKind>())
        {
            text.WriteLine();
            text.WriteLine($"## {Capitalized(ComponentSlot.Label(kind))}s");
            foreach (var declaration in builtIn.Where(d => d.Kind == kind))
            {
                text.WriteLine();
                text.WriteLine($"### {declaration.Name}");
                text.WriteLine();
                text.WriteLine(Escaped(declaration.Doc) + ".");
                var rows = Placed(declaration).Select(p => Row(p.Key, "")).ToList();
                if (rows.Count > 0)
                {
                    text.WriteLine();
                    WriteTable(text, rows);
                }
            }
        }
        return text.ToString();
    }

    /// <summary>The keys no component declares, with each kind's selector and the stages' order, its choices those of <paramref name="declarations"/>.</summary>
    private static IEnumerable<KeySpec> GeneralKeys(IReadOnlyList<ComponentDeclaration> declarations)
    {
        var selectors = Enum.GetValues<ComponentKind>().SelectMany(kind => ComponentSlot.Of(kind)
            .Where(s => s.Selector is not null)
            .Select(s => Key.Choice(s.Selector!, s.Default, s.Doc, [.. declarations.Where(d => d.Kind == kind).Select(d => d.Name)])));
        return ExperimentKeys.General.Append(StageOrder.Spec(declarations)).Concat(selectors).OrderBy(k => k.Key, StringComparer.Ordinal);
    }

    private static IEnumerable<(KeySpec Key, ComponentSlot Slot)> Placed(ComponentDeclaration declaration) =>
        ComponentSlot.Of(declaration.Kind).SelectMany(slot => ComponentCatalog.Placed(declaration, slot).Select(k => (k, slot)));

    private static string Condition(KeySpec key) =>
        key.AppliesWhen is { } c ? $"with {c.Selector} {string.Join(", ", c.Values)}" : "";

    private static string[] Row(KeySpec key, string condition)
    {
        // A general key under a condition holds its default in the value's own spec.
        var own = key.AppliesWhen?.ByValue.Values.First() ?? key;
        string fallback = own.Default ?? (own.Optional ? "unset" : "required");
        string doc = condition.Length == 0 ? own.Description : $"{own.Description} ({condition})";
        return [key.Key, TypeOf(own), fallback, doc];
    }

    private static string TypeOf(KeySpec key)
    {
        var ci = CultureInfo.InvariantCulture;
        bool hasMin = key.Min > double.MinValue, hasMax = key.Max < double.MaxValue;
        string range = hasMin && hasMax ? string.Create(ci, $" in [{key.Min}, {key.Max}]")
            : hasMin ? string.Create(ci, $" ≥ {key.Min}")
            : hasMax ? string.Create(ci, $" ≤ {key.Max}")
            : "";
        return key.Type switch
        {
            KeyType.Choice => "one of " + string.Join(", ", key.Choices!),
            KeyType.Integer => "integer" + range,
            KeyType.Number => "number" + range,
            KeyType.Boolean => "true or false",
            _ => "text",
        };
    }

    private static void WriteRows(TextWriter output, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            output.WriteLine("  (no keys of its own)");
            return;
        }
        int width = list.Max(r => r[0].Length);
        foreach (var r in list)
        {
            output.WriteLine($"  {r[0].PadRight(width)}  {r[1]}; default {r[2]}. {r[3]}");
        }
    }

    private static void WriteTable(TextWriter output, IEnumerable<string[]> rows)
    {
        output.WriteLine("| key | type | default | description |");
        output.WriteLine("| --- | --- | --- | --- |");
        foreach (var r in rows)
        {
            output.WriteLine($"| `{r[0]}` | {Escaped(r[1])} | {Escaped(r[2])} | {Escaped(r[3])} |");
        }
    }

    private static string Escaped(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
