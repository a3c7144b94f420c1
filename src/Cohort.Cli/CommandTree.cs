using System.CommandLine;
using System.CommandLine.Help;
using Cohort.Cli.Bench;
using Cohort.Cli.Commands;

namespace Cohort.Cli;

/// <summary>Every command, argument and option of `cohort`, defined once: parsing, usage and help all come from this tree.</summary>
internal static class CommandTree
{
    public static RootCommand Build(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var root = new RootCommand("cohort: collaborative learning on data that stays with its owners. Run 'cohort help <command>' for a command's arguments and options.")
        {
            RunCommand.Define(io),
            SweepCommand.Define(io),
            RobustnessCommand.Define(io),
            ServeCommand.Define(io),
            JoinCommand.Define(io),
            EvalCommand.Define(io),
            LeakCommand.Define(io),
            ReportCommand.Define(io),
            KeysCommand.Define(io),
            new Command("partition", "an experiment's split of the data among clients")
            {
                PartitionShowCommand.Define(io),
                PartitionExportCommand.Define(io),
            },
            new Command("data", "data sets in the local cache") { DataFetchCommand.Define(io) },
            new Command("cert", "certificates for served runs") { CertDevCommand.Define(io) },
            new Command("token", "client credentials for served runs") { TokenAddCommand.Define(io) },
            new Command("privacy", "differential-privacy budgets of the Poisson-subsampled Gaussian, each one JSON line")
            {
                PrivacyEpsilonCommand.Define(io),
                PrivacyDeltaCommand.Define(io),
                PrivacySigmaCommand.Define(io),
            },
            new Command("bench", "speed measurements, each one JSON line")
            {
                TrainBenchmark.Define(io),
                GemmBenchmark.Define(io),
                RoundBenchmark.Define(io),
                CompressBenchmark.Define(io),
                IngestBenchmark.Define(io),
            },
        };
        root.Add(HelpCommand.Define(root, io));
        // A fixed width: help reads the same in a terminal, a pipe and a test.
        if (root.Options.OfType<HelpOption>().Single().Action is HelpAction help)
        {
            help.MaxWidth = 110;
        }
        return root;
    }

    /// <summary>The help page of the command at <paramref name="path"/> (words after `cohort`): usage, arguments, options with defaults, subcommands.</summary>
    public static void WriteHelp(RootCommand root, IReadOnlyList<string> path, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        // The library's own --help renders it, so help and parsing read the same tree.
        root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = output });
    }

    /// <summary>Every command below <paramref name="command"/>, depth first.</summary>
    public static IEnumerable<Command> Descendants(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var sub in command.Subcommands)
        {
            yield return sub;
            foreach (var below in Descendants(sub))
            {
                yield return below;
            }
        }
    }
}
