using System.CommandLine;
using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort report &lt;run folder&gt;`: builds report.html from the run folder's files and prints its path.
/// With several folders, `--out FILE` names one page comparing them (accuracy per round and against bytes).
/// </summary>
internal static class ReportCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var folders = new Argument<string[]>("run folder") { Description = "a run folder, or several to compare", Arity = ArgumentArity.OneOrMore };
        var output = CliOptions.Text("--out", "FILE.html", "the page comparing several runs: outcomes, bytes, accuracy per round and against uplink bytes");
        var command = new Command("report", "build report.html in a run folder, or one page comparing several runs") { folders, output };
        command.SetAction(parse => Run(parse.GetRequiredValue(folders), parse.GetValue(output), io.Out));
        return command;
    }

    private static int Run(string[] folders, string? output, TextWriter stdout)
    {
        if (folders.Length == 1 && output is null)
        {
            stdout.WriteLine(HtmlReport.Write(folders[0]));
            return 0;
        }
        if (output is null)
        {
            throw new UsageException("report of several run folders needs --out FILE.html for the comparison page.");
        }
        stdout.WriteLine(ComparisonReport.Write(folders, output));
        return 0;
    }
}
