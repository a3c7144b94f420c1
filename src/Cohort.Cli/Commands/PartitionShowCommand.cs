using System.CommandLine;
using Cohort.Federated.Config;
using Cohort.Federated.Outputs;
using Cohort.Federated.Partitions;

namespace Cohort.Cli.Commands;

/// <summary>`cohort partition show &lt;experiment.yaml&gt; [--set key=value …]`: per-client sizes and label histograms.</summary>
internal static class PartitionShowCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var file = CliOptions.ExperimentFile();
        var sets = CliOptions.Sets();
        var command = new Command("show", "per-client sizes and label histograms of an experiment's partition") { file, sets };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(sets), io.Out));
        return command;
    }

    private static int Run(string path, string[] sets, TextWriter stdout)
    {
        var config = RunCommand.Load(path, sets);
        Experiment.From(config);
        var data = FederatedData.Load(config);
        stdout.Write(PartitionSummary.From(data, config.Get("partition.kind")).Render());
        return 0;
    }
}
