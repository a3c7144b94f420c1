using Cohort.Federated.Diagnostics;
using Cohort.NN.Adversarial;

namespace Cohort.Federated.Config;

/// <summary>The typed, validated view of an <see cref="ExperimentConfig"/> that the engine runs.</summary>
public sealed record Experiment
{
    public required string Mode { get; init; }
    public required string Model { get; init; }
    public required string Algorithm { get; init; }
    public required int Rounds { get; init; }
    public required double ClientsPerRound { get; init; }
    public required LocalWork Client { get; init; }
    public required bool UniformWeighting { get; init; }

    /// <summary>Whether each of a method's exchanges draws its own cohort (from the (seed, cohort, round, exchange) stream) instead of the round's serving all.</summary>
    public bool CohortPerExchange { get; init; }
    public required ulong Seed { get; init; }
    public required int Threads { get; init; }
    public required int EvalEvery { get; init; }
    public required bool EvalClients { get; init; }
    public double? TargetAccuracy { get; init; }
    public required int Clients { get; init; }
    public required ExperimentConfig Config { get; init; }

    private static PerturbationOptions? AdversarialTraining(ExperimentConfig c)
    {
        double eps = c.GetDouble("client.adversarial_eps");
        var norm = c.Get("client.adversarial_norm") == "l2" ? PerturbationNorm.L2 : PerturbationNorm.LInf;
        return c.Get("client.adversarial") switch
        {
            "fgsm" => PerturbationOptions.Fgsm(eps) with { Norm = norm },
            "pgd" => PerturbationOptions.Pgd(eps, c.GetInt("client.adversarial_steps"), norm),
            _ => null,
        };
    }

    /// <summary>When the heterogeneity diagnostics are measured, and on how many clients.</summary>
    internal DiagnosticsSchedule Diagnostics { get; init; } = DiagnosticsSchedule.Off;

    /// <summary>Bytes of per-client state kept in memory before spilling.</summary>
    public long StateMemoryBytes { get; init; } = 1L << 30;

    /// <summary>Where spilled client state goes; null: a fresh temporary folder.</summary>
    public string? StateFolder { get; init; }

    public static Experiment From(ExperimentConfig c)
    {
        // Read every key once so that required keys and conflicts are reported before any work starts.
        c.Get("dataset.name");
        int? epochs = c.GetOptionalInt("client.epochs");
        int? steps = c.GetOptionalInt("client.steps");
        if (epochs is not null && steps is not null)
        {
            throw new ConfigException("client.epochs and client.steps are both set; choose one.");
        }
        string algorithm = c.Get("algorithm.name");
        c.CheckApplicable();
        var tau = TauDistribution.From(c);
        if (algorithm == "fedsgd" && (epochs is not null || steps is not null || tau is not null))
        {
            throw new ConfigException("algorithm.name fedsgd takes one full-batch gradient per client; client.epochs, client.steps and client.tau.* do not apply.");
        }
        Privacy.PrivacyKeys.Check(c);
        double perRound = c.GetDouble("clients_per_round");
        if (perRound > 1 && perRound != Math.Floor(perRound))
        {
            throw new ConfigException($"clients_per_round: {perRound} is neither a fraction in (0, 1] nor a whole count.");
        }
        int clients = c.GetInt("partition.clients");
        if (perRound > clients)
        {
            throw new ConfigException($"clients_per_round: {perRound} clients per round but partition.clients is {clients}.");
        }
        return new Experiment
        {
            Mode = c.Get("mode"),
            Model = c.Get("model"),
            Algorithm = algorithm,
            Rounds = c.GetInt("rounds"),
            ClientsPerRound = perRound,
            Client = new LocalWork(
                steps is null ? epochs ?? 1 : null,
                steps,
                c.GetInt("client.batch_size"),
                (float)c.GetDouble("client.lr"),
                c.Get("client.optimizer"),
                (float)c.GetDouble("client.momentum"),
                (float)c.GetDouble("client.weight_decay"))
            {
                Adversarial = AdversarialTraining(c),
                Tau = tau,
                Private = Privacy.DpSgdOptions.From(c),
            },
            UniformWeighting = c.Get("aggregation.weighting") == "uniform",
            CohortPerExchange = c.GetBool("cohort_per_exchange"),
            Seed = (ulong)c.GetInt("seed"),
            Threads = c.GetInt("threads") == 0 ? Environment.ProcessorCount : c.GetInt("threads"),
            EvalEvery = c.GetInt("eval.every"),
            EvalClients = c.GetBool("eval.clients"),
            TargetAccuracy = c.GetOptionalDouble("target_accuracy"),
            Clients = clients,
            Config = c,
            Diagnostics = c.GetBool("diagnostics.enabled") ? new DiagnosticsSchedule(c.GetInt("diagnostics.clients"), c.GetInt("diagnostics.every")) : DiagnosticsSchedule.Off,
            StateMemoryBytes = (long)c.GetInt("client_state.memory_mb") << 20,
            StateFolder = c.GetOptional("client_state.folder"),
        };
    }

    /// <summary>Clients sampled each round.</summary>
    public int CohortSize => ClientsPerRound <= 1 ? Math.Max(1, (int)Math.Round(ClientsPerRound * Clients)) : (int)ClientsPerRound;
}

/// <summary>A client's local work per round: epochs, steps or a drawn τᵢ; batch size and optimizer.</summary>
public sealed record LocalWork(int? Epochs, int? Steps, int BatchSize, float LearningRate, string Optimizer, float Momentum, float WeightDecay)
{
    /// <summary>Adversarial training: each batch is replaced by its perturbation before the step (null: off).</summary>
    internal PerturbationOptions? Adversarial { get; init; }

    /// <summary>DP-SGD at every local step (null: plain steps).</summary>
    internal Privacy.DpSgdOptions? Private { get; init; }

    /// <summary>Per-client τᵢ drawn each round; null: every client does <see cref="Steps"/> or <see cref="Epochs"/>.</summary>
    internal TauDistribution? Tau { get; init; }

    /// <summary>The local steps a client with <paramref name="samples"/> samples takes in a round.</summary>
    public long StepsFor(int samples, ulong seed, int round, int client)
    {
        long perEpoch = (samples + BatchSize - 1) / BatchSize;
        if (Tau is { } tau)
        {
            long drawn = tau.Draw(seed, round, client);
            return tau.Epochs ? drawn * perEpoch : drawn;
        }
        return Steps ?? (long)(Epochs ?? 1) * perEpoch;
    }
}
