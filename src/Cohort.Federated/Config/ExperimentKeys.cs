using Cohort.Federated.Components;
using static Cohort.Federated.Config.Key;

namespace Cohort.Federated.Config;

/// <summary>
/// Every key an experiment file may hold (DESIGN.md's table), with its default: the general keys
/// below, and the keys each registered component declares (<see cref="ComponentRegistry"/>), which
/// apply only while it is selected. Every key but the data set has a default that works on MNIST.
/// </summary>
internal static class ExperimentKeys
{
    /// <summary>The keys no component owns (beside them: each kind's selector, and the stages' order, <see cref="Stages.StageOrder.Spec"/>).</summary>
    public static IReadOnlyList<KeySpec> General { get; } =
    [
        Choice("mode", "federated", "federated training, or a baseline: centralized (pooled data) or local (each client alone)", "federated", "centralized", "local"),
        new("dataset.root", KeyType.Text, null, "folder (or file) holding the data; default: the cache folder of 'cohort data fetch'") { Optional = true },
        Number("dataset.test_fraction", "0.2", "csv and text (and a client's own images without a test folder): fraction of each client's data held out for testing", 0, 0.9),
        Boolean("dataset.scale", "true", "images: scale pixels to [0, 1]"),
        Integer("partition.clients", "100", "number of clients", 1),
        Integer("rounds", "100", "communication rounds", 1),
        Number("clients_per_round", "0.1", "clients sampled per round: a fraction in (0, 1] or a count above 1", 1e-9),
        Choice("sampling", "fixed", "how a round's cohort is drawn: fixed (clients_per_round of the clients, without replacement) or poisson (each client independently with probability q: clients_per_round as a fraction, or a count over partition.clients); privacy needs poisson", "fixed", "poisson"),
        Boolean("cohort_per_exchange", "false", "methods with several exchanges a round: each exchange draws its own cohort of clients_per_round (default: the round's cohort serves every exchange)"),
        new("client.epochs", KeyType.Integer, null, "local epochs per round (default 1 unless client.steps is set)") { Optional = true, Min = 1 },
        new("client.steps", KeyType.Integer, null, "local steps per round instead of epochs") { Optional = true, Min = 1 },
        Choice("client.tau.distribution", "fixed", "local work per client and round: fixed (client.steps or client.epochs), or τᵢ drawn per client and round", "fixed", "uniform", "lognormal"),
        Choice("client.tau.unit", "steps", "unit of the drawn τᵢ", "steps", "epochs"),
        .. When("client.tau.distribution", "uniform", Integer("client.tau.min", "1", "least τᵢ", 1), Integer("client.tau.max", "10", "largest τᵢ", 1)),
        .. When("client.tau.distribution", "lognormal", Number("client.tau.median", "5", "median τᵢ", 1e-6), Number("client.tau.sigma", "0.5", "σ of log τᵢ", 0)),
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
        new("aggregator.f", KeyType.Integer, null, "Byzantine updates the robust rule tolerates (default: the expected Byzantine clients of a cohort, rounded up)") { Optional = true, Min = 0 },
        // Unset on the uplink, it follows the method: PowerSGD runs with EF as in its paper (Vogels et al. 2019).
        new("compression.uplink.error_feedback", KeyType.Choice, null, "uplink error feedback for a biased compressor: ef (residual carried to the next round) or ef21 (EF21-PP, Fatkhullin et al. 2021) (default ef with powersgd, none otherwise)")
        {
            Choices = ["none", "ef", "ef21"],
            Optional = true,
        },
        Choice("compression.downlink.error_feedback", "none", "downlink error feedback for a biased compressor: ef (residual carried to the next round) or ef21 (EF21-PP, Fatkhullin et al. 2021)", "none"),
        Number("attack.byzantine", "0", "Byzantine clients: a count, or a fraction of all clients when below 1", 0),
        Integer("client_state.memory_mb", "1024", "per-client state (SCAFFOLD, FedDyn) kept in memory up to this many MiB, spilled to disk beyond", 0),
        new("client_state.folder", KeyType.Text, null, "where spilled client state goes (default: a fresh folder in the temp folder, removed at the end)") { Optional = true },
        Integer("checkpoint.every", "10", "cohort run: save a checkpoint in the run folder every k rounds, from which the same command resumes (0: off)", 0),
        Boolean("diagnostics.enabled", "true", "measure zeta2, sigma2, drift and update norms at evaluated rounds"),
        Integer("diagnostics.clients", "4", "clients sampled for zeta2 and sigma2", 1),
        Integer("diagnostics.every", "10", "measure zeta2 and sigma2 at every k-th evaluation and at the last round (1: at every evaluation)", 1),
        Integer("seed", "0", "seed of every random stream", 0),
        Integer("threads", "0", "worker threads (0: one per core)", 0),
        Integer("eval.every", "1", "evaluate every k rounds (and after the last)", 1),
        Number("partition.validation", "0", "fraction of each client's training samples held out as its validation split (drawn from the seed, never trained on): personal_val_accuracy_* for choosing λ or fine-tuning steps without the test split; simulated runs", 0, 0.9),
        Integer("partition.holdout_clients", "0", "clients held out of training (the last ids): after the last round they personalize from the final model with the method's own procedure and are reported apart (new_client_accuracy_*)", 0),
        Boolean("eval.clients", "true", "also evaluate the global model on every client's test split"),
        Boolean("eval.membership_auc", "false", "after the last round, the loss-threshold membership attack (Yeom et al. 2018) on the final model: membership_auc, the AUC of −loss telling training samples of the clients from test samples"),
        Integer("eval.membership_samples", "1000", "eval.membership_auc: the members (training samples of the training clients) and as many non-members (test samples) drawn", 1),
        new("eval.finetune.steps", KeyType.Integer, null, "personalize at evaluation, for any method: each client fine-tunes its model this many local steps on its own training data before it is scored on its test split (personal_accuracy_*)") { Optional = true, Min = 0 },
        new("eval.finetune.epochs", KeyType.Integer, null, "as eval.finetune.steps, in epochs over the client's samples") { Optional = true, Min = 0 },
        new("eval.finetune.lr", KeyType.Number, null, "learning rate of the fine-tuning at evaluation (default client.lr)") { Optional = true, Min = 0 },
        new("eval.finetune.personal", KeyType.Text, null, "the parameters fine-tuned at evaluation, as parameter-name patterns (comma-separated, * any characters; @head: the last layer; default all)") { Optional = true },
        new("target_accuracy", KeyType.Number, null, "stop when the test accuracy reaches this") { Optional = true, Min = 0, Max = 1 },
        .. Privacy.PrivacyKeys.All,
    ];

    /// <summary>Every key: the general ones and the registered components'.</summary>
    public static IReadOnlyDictionary<string, KeySpec> All => ComponentRegistry.Catalog.Keys;

    public static KeySpec Get(string key)
    {
        var all = All;
        if (all.TryGetValue(key, out var spec))
        {
            return spec;
        }
        string? near = all.Keys.OrderBy(k => Distance(k, key)).FirstOrDefault();
        string hint = near is not null && Distance(near, key) <= 3 ? $" Did you mean '{near}'?" : "";
        throw new ConfigException($"unknown key '{key}'.{hint} Known keys: {string.Join(", ", all.Keys)}.");
    }

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
