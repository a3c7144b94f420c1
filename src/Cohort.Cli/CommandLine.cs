using Cohort.Cli.Bench;
using Cohort.Cli.Commands;

namespace Cohort.Cli;

/// <summary>Dispatches `cohort &lt;command&gt; …`; every failure is one clear line on stderr and a non-zero exit code.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: cohort <command> [options]

        commands:
          run <experiment.yaml> [--set key=value ...] [--out DIR] [--baselines]
                                    simulate an experiment; outputs go to DIR (default runs/<name>-<time>)
          bench train --model cnn|mlp|… [--batch B] [--threads T] [--seconds S] [--seed N]
                                    training throughput, one JSON line with samples_per_second
          bench gemm --m M --n N --k K [--threads T] [--seconds S]
                                    matrix-multiply speed, one JSON line with gflops
          bench round [--model cnn] [--clients 10] [--samples 600] [--epochs 5] [--batch 10] [--threads T]
                                    one FedAvg round over in-process workers, one JSON line with seconds_per_round
          bench compress --method M [--size N] [--seconds S]
                                    one compressor's encode and decode speed (one thread), one JSON line
          eval --model M --weights FILE.safetensors --data DIR|FILE
                                    a saved model's test_accuracy and test_loss, one JSON line
          report <run folder>       build report.html in a run folder from its metrics, summary, partition and config
          partition show <experiment.yaml> [--set key=value ...]
                                    per-client sizes and label histograms of an experiment's partition
          data fetch mnist|fashion-mnist|fortunes [--root DIR] [--from PATH]
                                    download and verify a data set into the cache folder (or DIR);
                                    --from takes a local folder or .tar.gz/.tgz/.zip/.deb archive
          help                      this text
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                stdout.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            switch (args[0])
            {
                case "run":
                    return RunCommand.Run(args.AsSpan(1), stdout, stderr);
                case "report":
                    return ReportCommand.Run(args.AsSpan(1), stdout);
                case "partition" when args.Length > 1 && args[1] == "show":
                    return PartitionShowCommand.Run(args.AsSpan(2), stdout);
                case "data":
                    // Positional words come before its options.
                    return DataFetchCommand.Run(args[1..], stdout, stderr);
            }
            var options = Options.Parse(args.AsSpan(args.Length > 1 && args[0] == "bench" ? 2 : 1));
            switch (args[0])
            {
                case "bench" when args.Length > 1 && args[1] == "train":
                    return TrainBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "gemm":
                    return GemmBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "round":
                    return RoundBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "compress":
                    return CompressBenchmark.Run(options, stdout);
                case "eval":
                    return EvalCommand.Run(options, stdout);
                case "bench":
                    throw new UsageException("bench needs a target: train or gemm.");
                default:
                    throw new UsageException($"unknown command '{args[0]}'.");
            }
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"cohort: {e.Message}");
            stderr.WriteLine("run 'cohort help' for usage.");
            return 2;
        }
        catch (Exception e) when (e is Federated.Config.ConfigException or ArgumentException or InvalidOperationException or IOException or ArithmeticException or FormatException)
        {
            stderr.WriteLine($"cohort: {e.Message}");
            return 1;
        }
    }
}
