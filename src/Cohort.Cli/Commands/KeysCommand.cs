using System.CommandLine;
using System.Text.RegularExpressions;
using Cohort.Federated.Config;

namespace Cohort.Cli.Commands;

/// <summary>`cohort keys [component]`: every experiment-file key with its type, default and doc, or those of one component.</summary>
public static class KeysCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var component = new Argument<string?>("component")
        {
            Description = "only the keys of this component (fedprox, topk, krum, …): those whose name, doc or choices name it",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("keys", "every experiment-file key with its type, default and doc") { component };
        command.SetAction(parse =>
        {
            Write(io.Out, parse.GetValue(component));
            return 0;
        });
        return command;
    }

    /// <summary>The key table, one key a line: key, type, default, doc (and the allowed values of a choice).</summary>
    internal static void Write(TextWriter output, string? component)
    {
        var keys = ExperimentKeys.All.Values.Where(k => component is null || Mentions(k, component)).ToList();
        if (keys.Count == 0)
        {
            throw new UsageException($"unknown component '{component}': no key names it ('cohort keys' lists them all).");
        }
        int keyWidth = keys.Max(k => k.Key.Length), defaultWidth = Math.Max("default".Length, keys.Max(k => Default(k).Length));
        output.WriteLine($"{"key".PadRight(keyWidth)}  {"type",-7}  {"default".PadRight(defaultWidth)}  doc");
        foreach (var k in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            string choices = k.Choices is { } c ? $" (one of: {string.Join(", ", c)})" : "";
            output.WriteLine($"{k.Key.PadRight(keyWidth)}  {k.Type.ToString().ToLowerInvariant(),-7}  {Default(k).PadRight(defaultWidth)}  {k.Description}{choices}");
        }
    }

    // Null: unset unless given; empty: each method sets its own (MethodKeys).
    private static string Default(KeySpec key) => key.Default switch
    {
        null => "-",
        "" => "(method's)",
        string d => d,
    };

    // Whole words only, so that fedavg does not pick fedavgm's keys.
    private static bool Mentions(KeySpec key, string component)
    {
        var word = new Regex($"(?<![\\w-]){Regex.Escape(component)}(?![\\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return word.IsMatch(key.Key) || word.IsMatch(key.Description) || (key.Choices?.Any(c => string.Equals(c, component, StringComparison.OrdinalIgnoreCase)) ?? false);
    }
}
