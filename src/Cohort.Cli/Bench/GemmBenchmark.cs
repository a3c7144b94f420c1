using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>Speed of C = A·B for row-major float32 matrices.</summary>
internal static class GemmBenchmark
{
    /// <summary>This machine's fp32 FMA peak per core: 2 FMA units × 8 lanes × 2 flops × ~3 GHz.</summary>
    public const double PeakGflopsPerCore = 96.0;

    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var m = CliOptions.Int("--m", "rows of A and C", 512, min: 1);
        var n = CliOptions.Int("--n", "columns of B and C", 512, min: 1);
        var k = CliOptions.Int("--k", "columns of A, rows of B", 512, min: 1);
        var threads = CliOptions.Int("--threads", "threads", 1, min: 1);
        var transA = CliOptions.Int("--transa", "1: A is stored transposed", 0, min: 0);
        var transB = CliOptions.Int("--transb", "1: B is stored transposed", 0, min: 0);
        var seconds = CliOptions.Number("--seconds", "S", "time spent measuring", 3, min: 0.1);
        var command = new Command("gemm", "matrix-multiply speed, one JSON line with gflops") { m, n, k, threads, transA, transB, seconds };
        command.SetAction(parse => Run(parse.GetValue(m), parse.GetValue(n), parse.GetValue(k), parse.GetValue(threads),
            parse.GetValue(transA) != 0, parse.GetValue(transB) != 0, parse.GetValue(seconds), io.Out));
        return command;
    }

    private static int Run(int m, int n, int k, int threads, bool transA, bool transB, double seconds, TextWriter stdout)
    {

        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        var random = RandomStream.Create(1, RandomStream.Purpose("bench-gemm"));
        random.FillUniform(a, -1f, 1f);
        random.FillUniform(b, -1f, 1f);

        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 3))
        {
            Gemm.Multiply(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n, false, threads);
        }
        // Best of several timed repetitions: the machine's capability, not its noise.
        double best = double.MaxValue;
        int runs = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || runs < 3)
        {
            var clock = Stopwatch.StartNew();
            Gemm.Multiply(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n, c, n, false, threads);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            runs++;
        }
        double gflops = 2.0 * m * n * k / best / 1e9;
        var ci = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(ci,
            $"{{\"benchmark\":\"gemm\",\"transa\":{(transA ? 1 : 0)},\"transb\":{(transB ? 1 : 0)},\"m\":{m},\"n\":{n},\"k\":{k},\"threads\":{threads},\"runs\":{runs},\"best_seconds\":{best:G6},\"gflops\":{gflops:F2},\"peak_fraction\":{gflops / (PeakGflopsPerCore * threads):F3}}}"));
        return 0;
    }
}
