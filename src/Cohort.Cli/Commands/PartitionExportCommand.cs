using Cohort.Federated.Config;
using Cohort.Federated.Data;

namespace Cohort.Cli.Commands;

/// <summary>`cohort partition export &lt;experiment.yaml&gt; --out DIR`: each simulated client's train and test data in DIR/client-K/.</summary>
public static class PartitionExportCommand
{
    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var (positional, sets, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("partition export needs an experiment file: cohort partition export <experiment.yaml> --out DIR.");
        }
        string outDir = options.String("out") ?? throw new UsageException("partition export needs --out DIR.");
        options.RejectUnknown();
        var config = RunCommand.Load(positional[0], sets);
        Experiment.From(config);
        var data = FederatedData.Load(config);
        PartitionExport.Write(data, outDir, config.GetBool("dataset.scale"));
        stdout.WriteLine($"{data.Clients} client folders written under {Path.GetFullPath(outDir)} (client-0 … client-{data.Clients - 1})");
        return 0;
    }
}
