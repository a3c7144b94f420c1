namespace Cohort.Cli;

/// <summary>Separates positional arguments and repeatable options (--set key=value, …) from the other --name value options.</summary>
public static class ArgumentSplitter
{
    public static (List<string> Positional, List<string> Sets, Options Options) Split(ReadOnlySpan<string> args, int maxPositional)
    {
        var (positional, repeated, options) = Split(args, maxPositional, ["set"]);
        return (positional, repeated["set"], options);
    }

    /// <summary>As <see cref="Split(ReadOnlySpan{string}, int)"/>, collecting every option named in <paramref name="repeatable"/> (without its dashes) into a list of its own.</summary>
    public static (List<string> Positional, Dictionary<string, List<string>> Repeated, Options Options) Split(ReadOnlySpan<string> args, int maxPositional, IReadOnlyList<string> repeatable)
    {
        var positional = new List<string>();
        var repeated = repeatable.ToDictionary(r => r, _ => new List<string>(), StringComparer.Ordinal);
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (RepeatedName(a, repeated) is { } name)
            {
                if (a.Length > name.Length + 2)
                {
                    repeated[name].Add(a[(name.Length + 3)..]);
                }
                else if (i + 1 < args.Length)
                {
                    repeated[name].Add(args[++i]);
                }
                else
                {
                    throw new UsageException($"option --{name} needs a value.");
                }
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                rest.Add(a);
                if (IsFlag(a))
                {
                    rest.Add("true");
                }
                else if (!a.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    rest.Add(args[++i]);
                }
            }
            else if (positional.Count < maxPositional)
            {
                positional.Add(a);
            }
            else
            {
                throw new UsageException($"unexpected argument '{a}'.");
            }
        }
        return (positional, repeated, Options.Parse(rest.ToArray()));
    }

    /// <summary>The repeatable option <paramref name="arg"/> is (as --name or --name=value), or null.</summary>
    private static string? RepeatedName(string arg, Dictionary<string, List<string>> repeated)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return null;
        }
        int eq = arg.IndexOf('=', StringComparison.Ordinal);
        string name = eq < 0 ? arg[2..] : arg[2..eq];
        return repeated.ContainsKey(name) ? name : null;
    }

    // Options that take no value.
    private static bool IsFlag(string option) => option is "--baselines";
}
