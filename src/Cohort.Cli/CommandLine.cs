using Cohort.Cli.Bench;
using Cohort.Cli.Commands;

namespace Cohort.Cli;

/// <summary>Dispatches `cohort &lt;command&gt; …`; every failure is one clear line on stderr and a non-zero exit code.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: cohort <command> [options]

        commands:
          bench train --model cnn|mlp|… [--batch B] [--threads T] [--seconds S] [--seed N]
                                    training throughput, one JSON line with samples_per_second
          bench gemm --m M --n N --k K [--threads T] [--seconds S]
                                    matrix-multiply speed, one JSON line with gflops
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
            if (args[0] == "data")
            {
                return DataFetchCommand.Run(args[1..], stdout, stderr); // positional words come before its options
            }
            var options = Options.Parse(args.AsSpan(args.Length > 1 && args[0] == "bench" ? 2 : 1));
            switch (args[0])
            {
                case "bench" when args.Length > 1 && args[1] == "train":
                    return TrainBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "gemm":
                    return GemmBenchmark.Run(options, stdout);
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
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or ArithmeticException or FormatException)
        {
            stderr.WriteLine($"cohort: {e.Message}");
            return 1;
        }
    }
}
