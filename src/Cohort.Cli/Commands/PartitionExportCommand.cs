using System.CommandLine;
using Cohort.Federated.Config;
using Cohort.Federated.Partitions;

namespace Cohort.Cli.Commands;

/// <summary>`cohort partition export &lt;experiment.yaml&gt; --out DIR`: each simulated client's train and test data in DIR/client-K/.</summary>
internal static class PartitionExportCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var file = CliOptions.ExperimentFile();
        var outDir = CliOptions.RequiredText("--out", "DIR", "where each client's folder goes (DIR/client-K)");
        var sets = CliOptions.Sets();
        var command = new Command("export", "each client's train and test data in DIR/client-K (IDX files), for deployed clients") { file, outDir, sets };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(sets), parse.GetRequiredValue(outDir), io.Out));
        return command;
    }

    private static int Run(string path, string[] sets, string outDir, TextWriter stdout)
    {
        var config = RunCommand.Load(path, sets);
        Experiment.From(config);
        var data = FederatedData.Load(config);
        PartitionExport.Write(data, outDir, config.GetBool("dataset.scale"));
        stdout.WriteLine($"{data.Clients} client folders written under {Path.GetFullPath(outDir)} (client-0 … client-{data.Clients - 1})");
        return 0;
    }
}
