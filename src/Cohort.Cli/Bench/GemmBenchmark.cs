using System.Diagnostics;
using System.Globalization;
using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>Speed of C = A·B for row-major float32 matrices.</summary>
public static class GemmBenchmark
{
    /// <summary>This machine's fp32 FMA peak per core: 2 FMA units × 8 lanes × 2 flops × ~3 GHz.</summary>
    public const double PeakGflopsPerCore = 96.0;

    public static int Run(Options options, TextWriter stdout)
    {
        int m = options.Int("m", 512, 1);
        int n = options.Int("n", 512, 1);
        int k = options.Int("k", 512, 1);
        int threads = options.Int("threads", 1, 1);
        bool transA = options.Int("transa", 0, 0) != 0;
        bool transB = options.Int("transb", 0, 0) != 0;
        double seconds = options.Double("seconds", 3, 0.1);
        options.RejectUnknown();

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
