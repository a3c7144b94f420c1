using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>Training throughput on random 28x28 inputs with plain SGD, the setting of docs/benchmarks.md.</summary>
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
        var command = new Command("train", "training throughput, one JSON line with samples_per_second") { model, batch, threads, seconds, seed, fuseSgd };
        command.SetAction(parse => Run(parse.GetRequiredValue(model), parse.GetValue(batch), parse.GetValue(threads), parse.GetValue(seconds),
            parse.GetValue(seed), parse.GetValue(fuseSgd) != 0, io.Out));
        return command;
    }

    private static int Run(string modelName, int batch, int threads, double seconds, int seed, bool fused, TextWriter stdout)
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

        // Warm-up: the tape's arena, and enough calls of every method for the JIT's tiers to settle
        // (a method called once per step reaches its optimized tier after some 30 steps).
        var warm = Stopwatch.StartNew();
        int step = 0;
        while (warm.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2) || step < WarmupSteps)
        {
            Step(trainer, inputs, labels, batch, sampleSize, step++ % pool);
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        int steps = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            Step(trainer, inputs, labels, batch, sampleSize, steps++ % pool);
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var ci = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(ci,
            $"{{\"benchmark\":\"train\",\"model\":\"{modelName}\",\"batch\":{batch},\"threads\":{threads},\"fuse_sgd\":{(fused ? "true" : "false")},\"steps\":{steps},\"seconds\":{elapsed:F3},\"samples_per_second\":{steps * batch / elapsed:F1},\"bytes_allocated_per_step\":{(double)allocated / Math.Max(1, steps):F1},\"parameters\":{model.ParameterCount}}}"));
        return 0;
    }

    private static void Step(Trainer trainer, float[] inputs, int[] labels, int batch, int sampleSize, int slot)
    {
        float loss = trainer.Step(
            inputs.AsSpan(slot * batch * sampleSize, batch * sampleSize),
            labels.AsSpan(slot * batch, batch));
        if (!float.IsFinite(loss))
        {
            throw new ArithmeticException($"Training loss became {loss}.");
        }
    }
}
