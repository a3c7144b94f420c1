using System.ComponentModel;
using Cohort.Data.Fetch;

namespace Cohort.Cli.Commands;

/// <summary>
/// <c>cohort data fetch mnist|fashion-mnist|fortunes [--root DIR] [--from PATH]</c>: puts a data set
/// into the cache folder (or DIR), verified. Progress goes to stderr, the outcome to stdout.
/// </summary>
public static class DataFetchCommand
{
    /// <summary>Entry from the command line: <paramref name="args"/> follow "data"; leading words are positional, the rest options.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "fetch")
        {
            throw new UsageException("data needs a subcommand: fetch.");
        }
        int count = 1;
        while (count < args.Length && !args[count].StartsWith("--", StringComparison.Ordinal))
        {
            count++;
        }
        return Run(Options.Parse(args.AsSpan(count)), args[1..count], stdout, stderr);
    }

    public static int Run(Options options, string[] positional, TextWriter stdout, TextWriter stderr)
    {
        string known = string.Join("|", FetchableDataset.All.Select(d => d.Name));
        if (positional.Length != 1)
        {
            throw new UsageException($"data fetch needs one data set name: {known}.");
        }
        var dataset = FetchableDataset.All.FirstOrDefault(d => d.Name == positional[0])
            ?? throw new UsageException($"unknown data set '{positional[0]}' (known: {known}).");
        string? root = options.String("root");
        string? from = options.String("from");
        options.RejectUnknown();
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
