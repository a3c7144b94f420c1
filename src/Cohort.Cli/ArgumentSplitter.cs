namespace Cohort.Cli;

/// <summary>Separates positional arguments and repeatable --set assignments from the other --name value options.</summary>
public static class ArgumentSplitter
{
    public static (List<string> Positional, List<string> Sets, Options Options) Split(ReadOnlySpan<string> args, int maxPositional)
    {
        var positional = new List<string>();
        var sets = new List<string>();
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--set")
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException("option --set needs a key=value.");
                }
                sets.Add(args[++i]);
            }
            else if (a.StartsWith("--set=", StringComparison.Ordinal))
            {
                sets.Add(a[6..]);
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
        return (positional, sets, Options.Parse(rest.ToArray()));
    }

    // Options that take no value.
    private static bool IsFlag(string option) => option is "--baselines";
}
