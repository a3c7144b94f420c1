using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Outputs;

namespace Cohort.Cli.Commands;

/// <summary>`cohort partition show &lt;experiment.yaml&gt; [--set key=value …]`: per-client sizes and label histograms.</summary>
public static class PartitionShowCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var (positional, sets, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("partition show needs an experiment file: cohort partition show <experiment.yaml>.");
        }
        options.RejectUnknown();
        var config = RunCommand.Load(positional[0], sets);
        Experiment.From(config);
        var data = FederatedData.Load(config);
        stdout.Write(PartitionSummary.From(data, config.Get("partition.kind")).Render());
        return 0;
    }
}
