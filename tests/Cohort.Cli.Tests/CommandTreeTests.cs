using System.CommandLine;

namespace Cohort.Cli.Tests;

/// <summary>The command tree is the only definition of the command line: every part of it is described, and help shows all of it.</summary>
public class CommandTreeTests
{
    private static RootCommand Tree() => CommandTree.Build(new CommandIo(TextWriter.Null, TextWriter.Null, CancellationToken.None));

    /// <summary>Every command with the words that reach it from `cohort`.</summary>
    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var below in Commands(sub, [.. path, sub.Name]))
            {
                yield return below;
            }
        }
    }

    [Fact]
    public void EveryCommandArgumentAndOptionHasADescription()
    {
        var all = Commands(Tree(), []).ToList();
        Assert.True(all.Count > 20, $"{all.Count} commands");
        foreach (var (path, command) in all)
        {
            string where = "cohort " + string.Join(' ', path);
            Assert.False(string.IsNullOrWhiteSpace(command.Description), where);
            Assert.All(command.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{where} {o.Name}"));
            Assert.All(command.Arguments, a => Assert.False(string.IsNullOrWhiteSpace(a.Description), $"{where} <{a.Name}>"));
            // A command either does something or groups commands that do.
            Assert.True(command.Action is not null || command.Subcommands.Count > 0, where);
        }
    }

    [Fact]
    public void HelpListsEveryCommandAndEveryOption()
    {
        var (code, top, _) = CommandLineTests.Cohort("help");
        Assert.Equal(0, code);
        Assert.Equal(top, CommandLineTests.Cohort("--help").Out);
        foreach (var (path, command) in Commands(Tree(), []))
        {
            (code, string help, string error) = CommandLineTests.Cohort(["help", .. path]);
            Assert.True(code == 0, error);
            Assert.Equal(help, CommandLineTests.Cohort([.. path, "--help"]).Out);
            Assert.Contains(command.Description!.Split(' ')[0], help, StringComparison.Ordinal);
            foreach (var sub in command.Subcommands)
            {
                Assert.Contains($"\n  {sub.Name}", help, StringComparison.Ordinal);
            }
            foreach (var option in command.Options)
            {
                Assert.Contains(option.Name, help, StringComparison.Ordinal);
            }
        }
        // The old hand-written usage named two bench targets of five; the tree names them all.
        string bench = CommandLineTests.Cohort("help", "bench").Out;
        Assert.All(new[] { "train", "gemm", "round", "compress", "ingest" }, target => Assert.Contains($"\n  {target}", bench, StringComparison.Ordinal));
    }

    [Fact]
    public void NoArgumentsPrintsTheHelpAndFails()
    {
        var (code, output, _) = CommandLineTests.Cohort();
        Assert.Equal(2, code);
        Assert.Equal(CommandLineTests.Cohort("help").Out, output);
    }

    [Fact]
    public void OptionsKeepTheirDefaultsAndSetRepeats()
    {
        var parse = Tree().Parse(["run", "exp.yaml", "--set", "seed=3", "--out=runs/x", "--set", "client.lr=0.1"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(["seed=3", "client.lr=0.1"], parse.GetValue<string[]>("--set")!);
        Assert.Equal("runs/x", parse.GetValue<string?>("--out"));
        Assert.Equal("exp.yaml", parse.GetValue<string>("experiment.yaml"));

        parse = Tree().Parse(["bench", "gemm", "--k", "64"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(512, parse.GetValue<int>("--m"));
        Assert.Equal(64, parse.GetValue<int>("--k"));
        Assert.Equal(3.0, parse.GetValue<double>("--seconds"));

        parse = Tree().Parse(["serve", "exp.yaml"]);
        Assert.Equal("https://0.0.0.0:8443", parse.GetValue<string>("--listen"));
        Assert.Null(parse.GetValue<int?>("--start-clients"));
        Assert.Equal(20, parse.GetValue<int>("--rate"));
    }

    /// <summary>A wrong command line is one line on stderr naming what is wrong, nothing on stdout, and exit code 2.</summary>
    [Theory]
    [InlineData("unknown command 'frob'", "frob")]
    [InlineData("unknown command 'bench frob' (one of: train, gemm, round, compress, ingest)", "bench", "frob")]
    [InlineData("bench needs a command: train, gemm, round, compress, ingest", "bench")]
    [InlineData("unknown option --bogus", "run", "exp.yaml", "--bogus", "1")]
    [InlineData("unexpected argument 'second.yaml'", "run", "exp.yaml", "second.yaml")]
    [InlineData("experiment.yaml", "run")]
    [InlineData("--set", "run", "exp.yaml", "--set")]
    [InlineData("--data", "join", "http://127.0.0.1:1", "--token", "t")]
    [InlineData("join: 'ftp://x' is not an http(s) URL", "join", "ftp://x", "--data", "d", "--token", "t")]
    [InlineData("join: give the token once: --token or --token-file, not both", "join", "http://127.0.0.1:1", "--data", "d", "--token", "t", "--token-file", "f")]
    [InlineData("join: no token: give --token-file FILE or set COHORT_TOKEN", "join", "http://127.0.0.1:1", "--data", "d")]
    [InlineData("option --m: '0' is not an integer of at least 1", "bench", "gemm", "--m", "0")]
    [InlineData("option --seconds: 'soon' is not a number of at least 0.1", "bench", "train", "--seconds", "soon")]
    [InlineData("--norm", "eval", "--model", "logreg", "--weights", "w", "--data", "d", "--norm", "l3")]
    [InlineData("mnist", "data", "fetch", "cifar")]
    [InlineData("give --seeds N or --seed-list a,b,…, not both", "sweep", "exp.yaml", "--seeds", "2", "--seed-list", "1,2")]
    [InlineData("unknown command 'frob'", "help", "frob")]
    public void BadInputIsOneLineNamingIt(string expected, params string[] args)
    {
        var (code, output, error) = CommandLineTests.Cohort(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cohort: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
