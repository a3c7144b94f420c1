using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>
/// Training throughput on random 28x28 inputs with plain SGD, the setting of docs/benchmarks.md; with
/// --dp, a DP-SGD step (C = 1, σ = 1, the batch as the expected batch size) timed after the plain one.
/// </summary>
internal static class TrainBenchmark
{
    /// <summary>Steps run before timing, at least; bench/torch_train.py uses the same rule.</summary>
    public const int WarmupSteps = 40;

    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var model = CliOptions.Text("--model", "M", "the zoo model", "cnn");
        var batch = CliOptions.Int("--batch", "mini-batch size", 10, min: 1);
        var threads = CliOptions.Int("--threads", "threads", 1, min: 1);
        var seconds = CliOptions.Number("--seconds", "S", "time spent measuring", 5, min: 0.1);
        var seed = CliOptions.Int("--seed", "seed of the model and the random inputs", 1, min: 0);
        var fuseSgd = CliOptions.Int("--fuse-sgd", "1: the SGD step fused into the backward pass; 0: a separate step", 1, min: 0);
        var dp = CliOptions.Flag("--dp", "also time a DP-SGD step (per-example clipping to 1, noise σ = 1) and print its cost relative to the plain step");
        var command = new Command("train", "training throughput, one JSON line with samples_per_second") { model, batch, threads, seconds, seed, fuseSgd, dp };
        command.SetAction(parse => Run(parse.GetRequiredValue(model), parse.GetValue(batch), parse.GetValue(threads), parse.GetValue(seconds),
            parse.GetValue(seed), parse.GetValue(fuseSgd) != 0, parse.GetValue(dp), io.Out));
        return command;
    }

    private static int Run(string modelName, int batch, int threads, double seconds, int seed, bool fused, bool dp, TextWriter stdout)
    {
        var model = ModelZoo.Create(modelName, (ulong)seed);
        var trainer = new Trainer(model, new Sgd(0.01f), batch, threads) { FuseSgd = fused };
        int sampleSize = model.SampleShape.Size;
        // A pool of random batches, so that data generation is outside the timed loop.
        const int pool = 8;
        var inputs = new float[pool * batch * sampleSize];
        var labels = new int[pool * batch];
        var random = RandomStream.Create((ulong)seed, RandomStream.Purpose("bench"));
        if (modelName == "charlstm")
        {
            // Token ids, not pixels.
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = random.NextInt(80);
            }
        }
        else
        {
            random.FillUniform(inputs, 0f, 1f);
        }
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.NextInt(10);
        }

        var plain = Measure(slot => trainer.Step(Inputs(slot), Labels(slot)), seconds);
        var ci = CultureInfo.InvariantCulture;
        string line = string.Create(ci,
            $"{{\"benchmark\":\"train\",\"model\":\"{modelName}\",\"batch\":{batch},\"threads\":{threads},\"fuse_sgd\":{(fused ? "true" : "false")},\"steps\":{plain.Steps},\"seconds\":{plain.Seconds:F3},\"samples_per_second\":{plain.Steps * batch / plain.Seconds:F1},\"bytes_allocated_per_step\":{plain.BytesPerStep:F1},\"parameters\":{model.ParameterCount}");
        if (dp)
        {
            var step = new DpSgdStep(trainer, clipNorm: 1, noiseMultiplier: 1, expectedBatchSize: batch);
            var noise = RandomStream.Create((ulong)seed, RandomStream.Purpose("bench-dp-noise"));
            var sgd = new Sgd(0.01f);
            var dpRun = Measure(slot => step.Step(Inputs(slot), Labels(slot), sgd, ref noise), seconds);
            double ratio = (dpRun.Seconds / dpRun.Steps) / (plain.Seconds / plain.Steps);
            line += string.Create(ci, $",\"dp_steps\":{dpRun.Steps},\"dp_samples_per_second\":{dpRun.Steps * batch / dpRun.Seconds:F1},\"dp_norms_from_batch_of_one\":{(step.NormsFromBatchOfOne ? "true" : "false")},\"dp_step_cost_ratio\":{ratio:F3}");
        }
        stdout.WriteLine(line + "}");
        return 0;

        Span<float> Inputs(int slot) => inputs.AsSpan(slot * batch * sampleSize, batch * sampleSize);
        Span<int> Labels(int slot) => labels.AsSpan(slot * batch, batch);
    }

    /// <summary>Warms up, then times steps for the given seconds.</summary>
    private static (int Steps, double Seconds, double BytesPerStep) Measure(Func<int, float> step, double seconds)
    {
        const int pool = 8;
        // Warm-up: the tape's arena, and enough calls of every method for the JIT's tiers to settle
        // (a method called once per step reaches its optimized tier after some 30 steps).
        var warm = Stopwatch.StartNew();
        int done = 0;
        while (warm.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2) || done < WarmupSteps)
        {
            Check(step(done++ % pool));
        }
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        int steps = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            Check(step(steps++ % pool));
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (steps, elapsed, (double)allocated / Math.Max(1, steps));
    }

    private static void Check(float loss)
    {
        if (!float.IsFinite(loss))
        {
            throw new ArithmeticException($"Training loss became {loss}.");
        }
    }
}
