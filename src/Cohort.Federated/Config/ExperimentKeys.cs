using Cohort.Federated.Compression;

namespace Cohort.Federated.Config;

/// <summary>
/// Every key an experiment file may hold (DESIGN.md's table), with its default. Every key but the
/// data set has a default that works on MNIST.
/// </summary>
public static class ExperimentKeys
{
    private static readonly KeySpec[] Specs =
    [
        Choice("mode", "federated", "federated training, or a baseline: centralized (pooled data) or local (each client alone)", "federated", "centralized", "local"),
        new("dataset.name", KeyType.Choice, null, "the data set") { Choices = ["mnist", "fashion-mnist", "synthetic", "csv", "text"] },
        new("dataset.root", KeyType.Text, null, "folder (or file) holding the data; default: the cache folder of 'cohort data fetch'") { Optional = true },
        new("dataset.test", KeyType.Text, null, "csv: a separate test file (default: a held-out fraction)") { Optional = true },
        Number("dataset.test_fraction", "0.2", "csv and text: fraction of each client's data held out for testing", 0, 0.9),
        new("dataset.label", KeyType.Text, "label", "csv: the label column (name or 0-based index)"),
        new("dataset.client", KeyType.Text, null, "csv: the client-id column, for a natural partition") { Optional = true },
        Integer("dataset.stride", "1", "text: characters between consecutive training windows", 1),
        Number("dataset.alpha", "1", "synthetic: α, how much clients' models differ", 0),
        Number("dataset.beta", "1", "synthetic: β, how much clients' inputs differ", 0),
        Boolean("dataset.iid", "false", "synthetic: Synthetic-IID (one shared model)"),
        Boolean("dataset.scale", "true", "images: scale pixels to [0, 1]"),
        Choice("partition.kind", "iid", "how the training data is split among clients", "iid", "dirichlet", "shards", "quantity", "natural"),
        Integer("partition.clients", "100", "number of clients", 1),
        new("partition.alpha", KeyType.Number, null, "dirichlet: concentration α (default 0.5)") { Optional = true, Min = 1e-6 },
        Integer("partition.shards_per_client", "2", "shards: shards per client", 1),
        Choice("partition.distribution", "lognormal", "quantity: distribution of client sizes", "lognormal", "powerlaw"),
        Number("partition.sigma", "1", "quantity: σ of the log-normal, or the power law's exponent", 1e-6),
        Choice("model", "cnn", "the zoo model", "logreg", "mlp", "cnn", "lenet5", "resnet20", "charlstm"),
        Choice("algorithm.name", "fedavg", "the federated method", "fedavg", "fedsgd", "diana", "marina"),
        Number("algorithm.shift_rate", "0.5", "diana: α, how far each client's shift moves toward its compressed difference", 1e-9, 1),
        Number("algorithm.sync_probability", "0.1", "marina: p, the chance that a round sends full gradients", 1e-9, 1),
        Integer("rounds", "100", "communication rounds", 1),
        Number("clients_per_round", "0.1", "clients sampled per round: a fraction in (0, 1] or a count above 1", 1e-9),
        new("client.epochs", KeyType.Integer, null, "local epochs per round (default 1 unless client.steps is set)") { Optional = true, Min = 1 },
        new("client.steps", KeyType.Integer, null, "local steps per round instead of epochs") { Optional = true, Min = 1 },
        Integer("client.batch_size", "10", "local mini-batch size", 1),
        Number("client.lr", "0.05", "local learning rate", 0),
        Choice("client.optimizer", "sgd", "local optimizer", "sgd", "adam", "adamw", "adagrad", "yogi"),
        Number("client.momentum", "0", "local SGD momentum", 0, 1),
        Number("client.weight_decay", "0", "local L2 weight decay", 0),
        Choice("aggregation.weighting", "samples", "weights of client updates: samples (n_i) or uniform", "samples", "uniform"),
        Choice("aggregator.name", "mean", "how updates are combined", "mean", "majority-vote"),
        .. CompressionKeys.For("uplink"),
        .. CompressionKeys.For("downlink"),
        Choice("attack.name", "none", "simulated Byzantine attack", "none"),
        Integer("attack.byzantine", "0", "number of Byzantine clients", 0, 0),
        Number("robust.worker_momentum", "0", "worker momentum against Byzantine clients", 0, 0),
        Integer("seed", "0", "seed of every random stream", 0),
        Integer("threads", "0", "worker threads (0: one per core)", 0),
        Integer("eval.every", "1", "evaluate every k rounds (and after the last)", 1),
        Boolean("eval.clients", "true", "also evaluate the global model on every client's test split"),
        new("target_accuracy", KeyType.Number, null, "stop when the test accuracy reaches this") { Optional = true, Min = 0, Max = 1 },
    ];

    public static IReadOnlyDictionary<string, KeySpec> All { get; } = Specs.ToDictionary(s => s.Key, StringComparer.Ordinal);

    public static KeySpec Get(string key)
    {
        if (All.TryGetValue(key, out var spec))
        {
            return spec;
        }
        string? near = All.Keys.OrderBy(k => Distance(k, key)).FirstOrDefault();
        string hint = near is not null && Distance(near, key) <= 3 ? $" Did you mean '{near}'?" : "";
        throw new ConfigException($"unknown key '{key}'.{hint} Known keys: {string.Join(", ", All.Keys)}.");
    }

    private static KeySpec Choice(string key, string fallback, string description, params string[] choices) =>
        new(key, KeyType.Choice, fallback, description) { Choices = choices };

    private static KeySpec Integer(string key, string fallback, string description, double min = double.MinValue, double max = double.MaxValue) =>
        new(key, KeyType.Integer, fallback, description) { Min = min, Max = max };

    private static KeySpec Number(string key, string fallback, string description, double min = double.MinValue, double max = double.MaxValue) =>
        new(key, KeyType.Number, fallback, description) { Min = min, Max = max };

    private static KeySpec Boolean(string key, string fallback, string description) => new(key, KeyType.Boolean, fallback, description);

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }
}
