using System.CommandLine;

namespace Cohort.Cli.Commands;

/// <summary>`cohort help [command …]`: the help page of the whole tool or of one command, from the command tree itself.</summary>
internal static class HelpCommand
{
    public static Command Define(RootCommand root, CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(io);
        var path = new Argument<string[]>("command") { Description = "the command (and subcommand) to describe; none: every command", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "this text, or a command's arguments and options") { path };
        command.SetAction(parse =>
        {
            Command target = root;
            string[] words = parse.GetValue(path) ?? [];
            foreach (string word in words)
            {
                target = target.Subcommands.FirstOrDefault(c => c.Name == word)
                    ?? throw new UsageException($"unknown command '{word}' (one of: {string.Join(", ", target.Subcommands.Select(c => c.Name))}).");
            }
            CommandTree.WriteHelp(root, words, io.Out);
            return 0;
        });
        return command;
    }
}
