using Cohort.Reporting;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort report &lt;run folder&gt;`: builds report.html from the run folder's files and prints its path.
/// With several folders, `--out FILE` names one page comparing them (accuracy per round and against bytes).
/// </summary>
public static class ReportCommand
{
    /// <summary>Runs with the arguments after `report`: the run folders first, then options.</summary>
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        int folders = 0;
        while (folders < args.Length && !args[folders].StartsWith("--", StringComparison.Ordinal))
        {
            folders++;
        }
        if (folders == 0)
        {
            throw new UsageException("report needs a run folder: cohort report <run folder>, or cohort report <run folder> <run folder> ... --out FILE.html.");
        }
        var options = Options.Parse(args[folders..]);
        string? output = options.String("out");
        options.RejectUnknown();
        if (folders == 1 && output is null)
        {
            stdout.WriteLine(HtmlReport.Write(args[0]));
            return 0;
        }
        if (output is null)
        {
            throw new UsageException("report of several run folders needs --out FILE.html for the comparison page.");
        }
        stdout.WriteLine(ComparisonReport.Write(args[..folders].ToArray(), output));
        return 0;
    }
}
