using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>Encode and decode speed of one compressor on one thread: 4·N input bytes per second, best of several runs.</summary>
internal static class CompressBenchmark
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var method = CliOptions.Text("--method", "M", "the uplink compressor (compression.uplink.name), or none", "topk");
        var size = CliOptions.Int("--size", "values in the vector coded", 10_000_000, min: 1);
        var seconds = CliOptions.Number("--seconds", "S", "time spent measuring", 3, min: 0.1);
        var command = new Command("compress", "one compressor's encode and decode speed (one thread), one JSON line") { method, size, seconds };
        command.SetAction(parse => Run(parse.GetRequiredValue(method), parse.GetValue(size), parse.GetValue(seconds), io.Out));
        return command;
    }

    private static int Run(string method, int size, double seconds, TextWriter stdout)
    {
        var config = new ExperimentConfig();
        config.Set("compression.uplink.name", method);
        var compressor = method == "none" ? new DenseFloat32() : CompressorFactory.Create(config, "uplink", Segments.Whole)
            ?? throw new UsageException($"--method {method}: not a single-message code (lazy and powersgd depend on rounds).");

        var values = new float[size];
        var random = RandomStream.Create(1, RandomStream.Purpose("bench-compress"));
        random.FillNormal(values, 0, 0.01f);
        var message = new MessageWriter();
        var decoded = new float[size];
        double encode = Best(seconds / 2, () =>
        {
            var draw = RandomStream.Create(1, 2);
            CompressedMessage.Encode(compressor, values, ref draw, message);
        });
        double decode = Best(seconds / 2, () => CompressedMessage.Decode(compressor, message.Written, decoded));
        double gb = 4.0 * size / 1e9;
        var ci = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(ci,
            $"{{\"benchmark\":\"compress\",\"method\":\"{method}\",\"size\":{size},\"bytes\":{message.Length},\"ratio\":{4.0 * size / message.Length:F2},\"encode_gb_per_second\":{gb / encode:F3},\"decode_gb_per_second\":{gb / decode:F3}}}"));
        return 0;
    }

    private static double Best(double seconds, Action run)
    {
        run();
        double best = double.MaxValue;
        int runs = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || runs < 3)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            runs++;
        }
        return best;
    }
}
