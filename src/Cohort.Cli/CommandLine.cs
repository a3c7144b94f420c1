using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Cohort.Cli;

/// <summary>Runs `cohort &lt;command&gt; …` as <see cref="CommandTree"/> defines it; every failure is one clear line on stderr and a non-zero exit code.</summary>
internal static class CommandLine
{
    /// <summary>Exit code of a command line that is itself wrong (unknown command or option, missing or bad value).</summary>
    public const int UsageError = 2;

    /// <summary>Runs one command; Ctrl-C stops it cleanly at its next check.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var interrupt = new ConsoleInterrupt();
        return Run(args, stdout, stderr, interrupt.Token);
    }

    /// <summary>Runs one command until done or until <paramref name="cancel"/> (an interrupted run exits 130 and resumes when run again).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = CommandTree.Build(new CommandIo(stdout, stderr, cancel));
        if (args.Length == 0)
        {
            CommandTree.WriteHelp(root, [], stdout);
            return UsageError;
        }
        // No response files: an argument that starts with @ is a value, not a file of arguments.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        try
        {
            if (result.Errors.Count > 0)
            {
                throw new UsageException(ParseErrorText(result));
            }
            return result.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                // Commands watch Ctrl-C themselves, through the token they are given.
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"cohort: {e.Message} (see 'cohort {HelpPath(result.CommandResult.Command)}--help')");
            return UsageError;
        }
        catch (Exception e) when (IsFailure(e))
        {
            stderr.WriteLine($"cohort: {e.Message}");
            return 1;
        }
    }

    /// <summary>The failures a command reports as one line (a bad setting, a missing file, a run that diverged), as opposed to bugs.</summary>
    internal static bool IsFailure(Exception e) =>
        e is Federated.Config.ConfigException or ArgumentException or InvalidOperationException or IOException or InvalidDataException or ArithmeticException
            or FormatException or System.Security.Cryptography.CryptographicException
            or Federated.Aggregation.Robust.RobustAggregationException;

    /// <summary>The first parse error as one line in the project's words: an unknown command or option is named as such.</summary>
    private static string ParseErrorText(ParseResult result)
    {
        var command = result.CommandResult.Command;
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                return $"unknown option {token}.";
            }
            if (command.Subcommands.Count > 0)
            {
                string known = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
                return $"unknown command '{HelpPath(command)}{token}' (one of: {known}).";
            }
            return $"unexpected argument '{token}'.";
        }
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return $"{HelpPath(command)}needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
        }
        // Name the option or argument the error is about, where the library's message does not.
        var error = result.Errors[0];
        string message = Regex.Replace(error.Message, @"\s+", " ").Trim();
        var (name, shown) = error.SymbolResult switch
        {
            OptionResult o => (o.Option.Name, o.Option.Name),
            ArgumentResult { Parent: OptionResult o } => (o.Option.Name, o.Option.Name),
            ArgumentResult a => (a.Argument.Name, $"<{a.Argument.Name}>"),
            _ => ((string?)null, (string?)null),
        };
        return name is null || message.Contains(name, StringComparison.Ordinal) ? message : $"{shown}: {message}";
    }

    /// <summary>The command's words after `cohort`, each followed by a space ("" for the root).</summary>
    private static string HelpPath(Command command) =>
        command is RootCommand ? "" : HelpPath((Command)command.Parents.First()) + command.Name + " ";
}
