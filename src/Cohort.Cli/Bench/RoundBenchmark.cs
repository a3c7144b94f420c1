using System.CommandLine;
using System.Globalization;
using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>
/// One FedAvg round as in docs/benchmarks.md: the CNN, 10 clients × 600 random 28x28 samples, 5 local
/// epochs, B = 10, all clients in the round; the time of training, communication and aggregation
/// (evaluation excluded), over the in-process workers.
/// </summary>
internal static class RoundBenchmark
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var model = CliOptions.Text("--model", "M", "the zoo model", "cnn");
        var clients = CliOptions.Int("--clients", "clients, all in the round", 10, min: 1);
        var samples = CliOptions.Int("--samples", "random samples per client", 600, min: 1);
        var epochs = CliOptions.Int("--epochs", "local epochs", 5, min: 1);
        var batch = CliOptions.Int("--batch", "local mini-batch size", 10, min: 1);
        var threads = CliOptions.Int("--threads", "worker threads (default: the processor count)", Environment.ProcessorCount, min: 1);
        var rounds = CliOptions.Int("--rounds", "rounds timed", 1, min: 1);
        var command = new Command("round", "one FedAvg round over in-process workers, one JSON line with seconds_per_round")
        {
            model, clients, samples, epochs, batch, threads, rounds,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(model), parse.GetValue(clients), parse.GetValue(samples), parse.GetValue(epochs),
            parse.GetValue(batch), parse.GetValue(threads), parse.GetValue(rounds), io.Out));
        return command;
    }

    private static int Run(string model, int clients, int samples, int epochs, int batch, int threads, int rounds, TextWriter stdout)
    {

        int n = clients * samples;
        var random = RandomStream.Create(1, RandomStream.Purpose("bench-round"));
        var x = new float[n * 784];
        random.FillUniform(x, 0f, 1f);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = random.NextInt(10);
        }
        var train = new Dataset("random", x, new Shape(1, 28, 28), y, 10);
        var test = train.Subset(Enumerable.Range(0, Math.Min(n, 100)).ToArray());
        var parts = Enumerable.Range(0, clients).Select(k => Enumerable.Range(k * samples, samples).ToArray()).ToArray();
        var data = new FederatedData(new TrainTest(train, test), new Partition(parts, parts.Select(_ => Array.Empty<int>()).ToArray()));

        var config = new ExperimentConfig();
        var ci = CultureInfo.InvariantCulture;
        foreach (var (k, v) in new (string, string)[]
        {
            ("dataset.name", "mnist"), ("model", model), ("partition.clients", clients.ToString(ci)), ("clients_per_round", clients.ToString(ci)),
            ("rounds", rounds.ToString(ci)), ("client.epochs", epochs.ToString(ci)), ("client.batch_size", batch.ToString(ci)),
            ("client.lr", "0.01"), ("threads", threads.ToString(ci)), ("eval.clients", "false"),
        })
        {
            config.Set(k, v);
        }
        using var simulation = new FederatedRun(Experiment.From(config), data);
        var summary = simulation.Run();
        double perRound = summary.TrainingSeconds / rounds;
        stdout.WriteLine(string.Create(ci,
            $"{{\"benchmark\":\"round\",\"model\":\"{model}\",\"clients\":{clients},\"samples_per_client\":{samples},\"epochs\":{epochs},\"batch\":{batch},\"threads\":{threads},\"seconds_per_round\":{perRound:F3},\"samples_per_second\":{(double)n * epochs / perRound:F1}}}"));
        return 0;
    }
}
