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
          bench ingest [--model cnn] [--clients 100] [--rounds 3] [--tls true|false]
                                    update ingest of a served run on loopback, one JSON line with mb_per_second and server_peak_rss_mb
          eval --model M --weights FILE.safetensors --data DIR|FILE [--attack fgsm|pgd --eps E --steps S --norm linf|l2]
                                    a saved model's test_accuracy and test_loss (and robust_accuracy), one JSON line
          robustness <experiment.yaml> --aggregators a,b --attacks x,y --byzantine 1,2 [--out DIR] [--set key=value ...]
                                    one run per (aggregator, attack, Byzantine count); DIR/robustness.csv, .md and report.html
          sweep <experiment.yaml> --grid key=v1,v2 [--grid key=…] [--seeds N | --seed-list a,b] [--parallel N]
                [--target A] [--set key=value ...] [--out DIR]
                                    one run per grid point and seed in DIR/<key=value_…_seed=N> (finished runs skipped,
                                    interrupted ones resumed); DIR/sweep.csv, sweep.md (mean ± sample sd over seeds) and
                                    report.html; rounds to --target (which stops no run) or else to target_accuracy
          report <run folder>       build report.html in a run folder from its metrics, summary, partition and config
          report <run folder> <run folder> ... --out FILE.html
                                    one page comparing runs: outcomes, bytes, accuracy per round and against uplink bytes
          partition show <experiment.yaml> [--set key=value ...]
                                    per-client sizes and label histograms of an experiment's partition
          partition export <experiment.yaml> --out DIR [--set key=value ...]
                                    each client's train and test data in DIR/client-K (IDX files), for deployed clients
          serve <experiment.yaml> [--listen URL] [--cert FILE] [--tokens FILE] [--state DIR] [--set key=value ...]
                [--start-clients N] [--round-deadline SECONDS] [--min-clients N] [--overselect F] [--max-norm X] [--rate N]
                                    serve the experiment to remote clients (default --listen https://0.0.0.0:8443;
                                    http:// only on loopback); outputs and state in DIR (default runs/<name>-serve)
          join <url> --data DIR --token T [--test DIR] [--ca FILE] [--state DIR]
                                    take part in a served run with this machine's data (IDX folder, CSV file
                                    or text folder; test split: --test, the folder's test files, or held out);
                                    the client's state in DIR (default runs/join-<run>-client<id>)
          cert dev --out DIR        a test CA (DIR/ca.pem, for --ca) and a localhost certificate (DIR/server.pfx, for --cert)
          token add <client-id> --tokens FILE
                                    issue a client's token (printed, and added to FILE)
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
                case "robustness":
                    return RobustnessCommand.Run(args.AsSpan(1), stdout, stderr);
                case "sweep":
                    return SweepCommand.Run(args.AsSpan(1), stdout, stderr);
                case "partition" when args.Length > 1 && args[1] == "show":
                    return PartitionShowCommand.Run(args.AsSpan(2), stdout);
                case "partition" when args.Length > 1 && args[1] == "export":
                    return PartitionExportCommand.Run(args.AsSpan(2), stdout);
                case "serve":
                    return ServeCommand.Run(args.AsSpan(1), stdout, stderr);
                case "join":
                    return JoinCommand.Run(args.AsSpan(1), stderr);
                case "token" when args.Length > 1 && args[1] == "add":
                    return TokenAddCommand.Run(args.AsSpan(2), stdout);
                case "data":
                    // Positional words come before its options.
                    return DataFetchCommand.Run(args[1..], stdout, stderr);
            }
            var options = Options.Parse(args.AsSpan(args.Length > 1 && args[0] is "bench" or "cert" ? 2 : 1));
            switch (args[0])
            {
                case "bench" when args.Length > 1 && args[1] == "train":
                    return TrainBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "gemm":
                    return GemmBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "round":
                    return RoundBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "ingest":
                    return IngestBenchmark.Run(options, stdout);
                case "bench" when args.Length > 1 && args[1] == "compress":
                    return CompressBenchmark.Run(options, stdout);
                case "eval":
                    return EvalCommand.Run(options, stdout);
                case "cert" when args.Length > 1 && args[1] == "dev":
                    return CertDevCommand.Run(options, stdout);
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
        catch (Exception e) when (IsFailure(e))
        {
            stderr.WriteLine($"cohort: {e.Message}");
            return 1;
        }
    }

    /// <summary>The failures a command reports as one line (a bad setting, a missing file, a run that diverged), as opposed to bugs.</summary>
    internal static bool IsFailure(Exception e) =>
        e is Federated.Config.ConfigException or ArgumentException or InvalidOperationException or IOException or InvalidDataException or ArithmeticException
            or FormatException or System.Security.Cryptography.CryptographicException
            or Federated.Aggregation.Robust.RobustAggregationException;
}
