using System.CommandLine;
using System.ComponentModel;
using Cohort.Data.Fetch;

namespace Cohort.Cli.Commands;

/// <summary>
/// <c>cohort data fetch mnist|fashion-mnist|fortunes [--root DIR] [--from PATH]</c>: puts a data set
/// into the cache folder (or DIR), verified. Progress goes to stderr, the outcome to stdout.
/// </summary>
internal static class DataFetchCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var name = new Argument<string>("data set") { Description = "the data set to fetch" };
        name.AcceptOnlyFromAmong([.. FetchableDataset.All.Select(d => d.Name)]);
        var root = CliOptions.Text("--root", "DIR", "where the data set goes (default: the cache folder experiments read from)");
        var from = CliOptions.Text("--from", "PATH", "a local folder or .tar.gz/.tgz/.zip/.deb archive to take the files from, instead of downloading");
        var command = new Command("fetch", "download and verify a data set into the cache folder (or DIR)") { name, root, from };
        command.SetAction(parse => Run(FetchableDataset.All.First(d => d.Name == parse.GetRequiredValue(name)), parse.GetValue(root), parse.GetValue(from), io));
        return command;
    }

    private static int Run(FetchableDataset dataset, string? root, string? from, CommandIo io)
    {
        var (stdout, stderr) = (io.Out, io.Error);
        string destination = Path.GetFullPath(root ?? DataCache.Folder(dataset.Name));
        try
        {
            bool fetched = new DatasetFetcher(stderr).Fetch(dataset, destination, from is null ? null : Path.GetFullPath(from));
            stdout.WriteLine(fetched
                ? $"{dataset.Name}: fetched and verified into {destination}"
                : $"{dataset.Name}: already present and verified in {destination}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or Win32Exception)
        {
            stderr.WriteLine($"cohort: {e.Message}");
            return 1;
        }
    }
}
