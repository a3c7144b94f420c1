using System.Globalization;
using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Engine;
using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.Cli.Bench;

/// <summary>
/// One FedAvg round as in docs/benchmarks.md: the CNN, 10 clients × 600 random 28x28 samples, 5 local
/// epochs, B = 10, all clients in the round; the time of training, communication and aggregation
/// (evaluation excluded), over the in-process workers.
/// </summary>
public static class RoundBenchmark
{
    public static int Run(Options options, TextWriter stdout)
    {
        string model = options.String("model", "cnn");
        int clients = options.Int("clients", 10, 1);
        int samples = options.Int("samples", 600, 1);
        int epochs = options.Int("epochs", 5, 1);
        int batch = options.Int("batch", 10, 1);
        int threads = options.Int("threads", Environment.ProcessorCount, 1);
        int rounds = options.Int("rounds", 1, 1);
        options.RejectUnknown();

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
        using var simulation = new Simulation(Experiment.From(config), data);
        var summary = simulation.Run();
        double perRound = summary.TrainingSeconds / rounds;
        stdout.WriteLine(string.Create(ci,
            $"{{\"benchmark\":\"round\",\"model\":\"{model}\",\"clients\":{clients},\"samples_per_client\":{samples},\"epochs\":{epochs},\"batch\":{batch},\"threads\":{threads},\"seconds_per_round\":{perRound:F3},\"samples_per_second\":{(double)n * epochs / perRound:F1}}}"));
        return 0;
    }
}
