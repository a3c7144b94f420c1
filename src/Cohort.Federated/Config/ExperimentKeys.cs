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
        Choice("partition.kind", "iid", "how the training data is split among clients", "iid", "dirichlet", "shards", "label-shards", "quantity", "natural"),
        Integer("partition.clients", "100", "number of clients", 1),
        new("partition.alpha", KeyType.Number, null, "dirichlet: concentration α (default 0.5)") { Optional = true, Min = 1e-6 },
        Integer("partition.shards_per_client", "2", "shards, label-shards: shards per client", 1),
        Choice("partition.distribution", "lognormal", "quantity: distribution of client sizes", "lognormal", "powerlaw"),
        Number("partition.sigma", "1", "quantity: σ of the log-normal, or the power law's exponent", 1e-6),
        Choice("model", "cnn", "the zoo model", "logreg", "mlp", "cnn", "lenet5", "resnet20", "charlstm"),
        Choice("algorithm.name", "fedavg", "the federated method", "fedavg", "fedsgd", "fedprox", "scaffold", "fedavgm", "fedadagrad", "fedadam", "fedyogi", "mimelite", "mime", "fednova", "feddyn", "qffl", "diana", "marina"),
        Integer("rounds", "100", "communication rounds", 1),
        Number("clients_per_round", "0.1", "clients sampled per round: a fraction in (0, 1] or a count above 1", 1e-9),
        new("client.epochs", KeyType.Integer, null, "local epochs per round (default 1 unless client.steps is set)") { Optional = true, Min = 1 },
        new("client.steps", KeyType.Integer, null, "local steps per round instead of epochs") { Optional = true, Min = 1 },
        Choice("client.tau.distribution", "fixed", "local work per client and round: fixed (client.steps or client.epochs), or τᵢ drawn per client and round", "fixed", "uniform", "lognormal"),
        Choice("client.tau.unit", "steps", "unit of the drawn τᵢ", "steps", "epochs"),
        Integer("client.batch_size", "10", "local mini-batch size", 1),
        Number("client.lr", "0.05", "local learning rate", 0),
        Choice("client.optimizer", "sgd", "local optimizer", "sgd", "adam", "adamw", "adagrad", "yogi"),
        Number("client.momentum", "0", "local SGD momentum", 0, 1),
        Number("client.weight_decay", "0", "local L2 weight decay", 0),
        Choice("client.adversarial", "none", "adversarial training: each batch replaced by its FGSM or PGD perturbation", "none", "fgsm", "pgd"),
        Number("client.adversarial_eps", "0.1", "adversarial training: radius ε of the perturbation", 0),
        Integer("client.adversarial_steps", "5", "adversarial training: PGD steps (step 2.5·ε/steps, random start)", 1),
        Choice("client.adversarial_norm", "linf", "adversarial training: the perturbation's ball", "linf", "l2"),
        Choice("aggregation.weighting", "samples", "weights of client updates: samples (n_i) or uniform", "samples", "uniform"),
        Choice("aggregator.name", "mean", "how updates are combined", "mean", "median", "trimmed-mean", "krum", "multi-krum", "geometric-median", "centered-clipping", "bulyan", "zeno", "majority-vote"),
        new("aggregator.f", KeyType.Integer, null, "Byzantine updates the robust rule tolerates (default: the expected Byzantine clients of a cohort, rounded up)") { Optional = true, Min = 0 },
        Integer("aggregator.m", "0", "multi-krum: updates averaged (0: n − f)", 0),
        new("aggregator.tau", KeyType.Number, null, "centered-clipping: clipping radius τ (default: the first round's median distance to the centre)") { Optional = true, Min = 1e-12 },
        Integer("aggregator.iterations", "3", "centered-clipping and geometric-median: iterations", 1),
        Number("aggregator.rho", "0.0005", "zeno: weight ρ of the update's squared norm in its score", 0),
        Integer("aggregator.zeno_batch", "64", "zeno: samples in the server's scoring batch", 1),
        Number("aggregator.clip", "0", "pre-aggregation: clip each update to this norm (0: off)", 0),
        Boolean("aggregator.nnm", "false", "pre-aggregation: nearest-neighbour mixing"),
        Integer("aggregator.bucketing", "0", "pre-aggregation: average updates in random buckets of this size (0 or 1: off)", 0),
        new("stages", KeyType.Text, null, "order of the update stages that are on: a list of worker-momentum, compression, clip (default: that order)") { Optional = true, IsList = true },
        .. CompressionKeys.For("uplink"),
        .. CompressionKeys.For("downlink"),
        Choice("attack.name", "none", "simulated Byzantine attack", "none", "label-flip", "sign-flip", "bit-flip", "gaussian", "ipm", "alie", "alie-opt", "ipm-opt", "mimic", "nan", "inf"),
        Number("attack.byzantine", "0", "Byzantine clients: a count, or a fraction of all clients when below 1", 0),
        Number("attack.sigma", "1", "gaussian: standard deviation of the noise sent", 0),
        Number("attack.epsilon", "0.1", "ipm: ε, the scale of minus the honest mean", 0),
        new("attack.z", KeyType.Number, null, "alie: z (default: from the number of clients and Byzantine clients)") { Optional = true },
        Number("robust.worker_momentum", "0", "worker momentum β against Byzantine clients (0: off)", 0, 0.999999),
        Integer("client_state.memory_mb", "1024", "per-client state (SCAFFOLD, FedDyn) kept in memory up to this many MiB, spilled to disk beyond", 0),
        new("client_state.folder", KeyType.Text, null, "where spilled client state goes (default: a fresh folder in the temp folder, removed at the end)") { Optional = true },
        Integer("checkpoint.every", "10", "cohort run: save a checkpoint in the run folder every k rounds, from which the same command resumes (0: off)", 0),
        Boolean("diagnostics.enabled", "true", "measure zeta2, sigma2, drift and update norms at evaluated rounds"),
        Integer("diagnostics.clients", "4", "clients sampled for zeta2 and sigma2", 1),
        Integer("diagnostics.every", "10", "measure zeta2 and sigma2 at every k-th evaluation and at the last round (1: at every evaluation)", 1),
        Integer("seed", "0", "seed of every random stream", 0),
        Integer("threads", "0", "worker threads (0: one per core)", 0),
        Integer("eval.every", "1", "evaluate every k rounds (and after the last)", 1),
        Boolean("eval.clients", "true", "also evaluate the global model on every client's test split"),
        new("target_accuracy", KeyType.Number, null, "stop when the test accuracy reaches this") { Optional = true, Min = 0, Max = 1 },
    ];

    private static readonly KeySpec[] Conditional =
    [
        .. MethodKeys.Specs(key => key switch
        {
            "algorithm.mu" => Number(key, "", "fedprox: proximal weight μ", 0),
            "algorithm.option" => Choice(key, "", "scaffold: how c_i is updated, I (full gradient at x) or II (from the local steps)", "I", "II"),
            "algorithm.server_lr" => Number(key, "", "server learning rate η", 1e-12),
            "algorithm.server_momentum" => Number(key, "", "fedavgm: server momentum β", 0, 0.999999),
            "algorithm.beta1" => Number(key, "", "FedOpt: β1 of the update average", 0, 0.999999),
            "algorithm.beta2" => Number(key, "", "fedadam, fedyogi: β2 of the second moment", 0, 1),
            "algorithm.tau" => Number(key, "", "FedOpt: adaptivity τ", 1e-12),
            "algorithm.beta" => Number(key, "", "mime, mimelite: momentum β", 0, 1),
            "algorithm.alpha" => Number(key, "", "feddyn: regularizer α", 1e-12),
            "algorithm.q" => Number(key, "", "qffl: fairness q (0 is FedAvg)", 0),
            "algorithm.shift_rate" => Number(key, "", "diana: α, how far each client's shift moves toward its compressed difference", 1e-9, 1),
            "algorithm.sync_probability" => Number(key, "", "marina: p, the chance that a round sends full gradients", 1e-9, 1),
            "client.tau.min" => Integer(key, "", "uniform: least τᵢ", 1),
            "client.tau.max" => Integer(key, "", "uniform: largest τᵢ", 1),
            "client.tau.median" => Number(key, "", "lognormal: median τᵢ", 1e-6),
            _ => Number(key, "", "lognormal: σ of log τᵢ", 0),
        }),
    ];

    public static IReadOnlyDictionary<string, KeySpec> All { get; } = Specs.Concat(Conditional).ToDictionary(s => s.Key, StringComparer.Ordinal);

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
