using Cohort.Federated.Outputs;

namespace Cohort.Cli.Commands;

/// <summary>`cohort report &lt;run folder&gt;`: builds report.html from the run folder's files and prints its path.</summary>
public static class ReportCommand
{
    /// <summary>Runs with the arguments after `report`: the run folder first, then options (none yet).</summary>
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException("report needs a run folder: cohort report <run folder>.");
        }
        string folder = args[0];
        Options.Parse(args[1..]).RejectUnknown();
        stdout.WriteLine(HtmlReport.Write(folder));
        return 0;
    }
}
