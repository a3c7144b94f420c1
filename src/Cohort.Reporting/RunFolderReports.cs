using Cohort.Federated.Outputs;

namespace Cohort.Reporting;

/// <summary>A run folder's writers with the TensorBoard events plugged in, and its report.html.</summary>
internal static class RunFolderReports
{
    /// <summary>The callbacks that write metrics.jsonl, metrics.csv, the TensorBoard events and summary.json; dispose after the run.</summary>
    public static RunFolderWriters OpenWriters(this RunFolder folder, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return new RunFolderWriters(folder, new TensorBoardWriter(folder.TensorBoardFolder, time));
    }

    /// <summary>Builds report.html from the folder's files and returns its path.</summary>
    public static string WriteReport(this RunFolder folder) => HtmlReport.Write(folder);
}
