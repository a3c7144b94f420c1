using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Engine;

/// <summary>
/// How a round's cohort is drawn (key <c>sampling</c>): <c>fixed</c>, exactly K of the N clients without
/// replacement (<see cref="ClientSampler"/>), or <c>poisson</c>, each client independently with probability
/// q, so the cohort's size is random with mean qN. Poisson sampling is what the privacy accountants
/// analyse; a private run takes its rate from this object (<see cref="PoissonRate"/>), never from a key of its own.
/// </summary>
internal sealed class CohortSampler
{
    public const string Key = "sampling";

    private readonly ulong _seed;

    private CohortSampler(int clients, int fixedSize, double? poissonRate, ulong seed)
    {
        Clients = clients;
        FixedSize = fixedSize;
        PoissonRate = poissonRate;
        _seed = seed;
    }

    /// <summary>N: the clients sampled from.</summary>
    public int Clients { get; }

    /// <summary>K: the cohort's size with fixed sampling.</summary>
    public int FixedSize { get; }

    /// <summary>q with Poisson sampling; null for a fixed-size cohort, which no accountant here analyses.</summary>
    public double? PoissonRate { get; }

    /// <summary>The cohort's expected size: qN with Poisson sampling, K otherwise.</summary>
    public double ExpectedSize => PoissonRate is { } q ? q * Clients : FixedSize;

    /// <summary>What the sampler is, for messages and the run's summary.</summary>
    public string Describe() => PoissonRate is { } q
        ? $"poisson (each of {Clients} clients with probability q = {q:R})"
        : $"fixed ({FixedSize} of {Clients} clients, without replacement)";

    /// <summary>The sampler an experiment's keys select; q is clients_per_round as a fraction, or a count over partition.clients.</summary>
    public static CohortSampler From(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        bool poisson = experiment.Config.Get(Key) == "poisson";
        // Held-out clients (partition.holdout_clients, the last ids) are never sampled.
        int training = experiment.Clients - Personal.NewClients.Count(experiment.Config, experiment.Clients);
        double? rate = !poisson ? null : experiment.ClientsPerRound <= 1 ? experiment.ClientsPerRound : experiment.ClientsPerRound / training;
        return new CohortSampler(training, experiment.CohortSize, rate, experiment.Seed);
    }

    /// <summary>A Poisson sampler of rate <paramref name="rate"/> over <paramref name="clients"/> clients.</summary>
    public static CohortSampler Poisson(int clients, double rate, ulong seed) => new(clients, 0, rate, seed);

    /// <summary>
    /// The cohort of <paramref name="round"/> (and of a later <paramref name="draw"/> of it), in ascending
    /// order: from the (seed, cohort, round[, draw]) stream, one uniform per client for Poisson sampling.
    /// </summary>
    public int[] Draw(int round, int draw = 0)
    {
        if (PoissonRate is not { } q)
        {
            return ClientSampler.Sample(Clients, FixedSize, _seed, round, draw: draw);
        }
        var random = draw == 0
            ? RandomStream.Create(_seed, RandomStream.Purpose("cohort"), round)
            : RandomStream.Create(_seed, RandomStream.Purpose("cohort"), round, draw);
        var chosen = new List<int>();
        for (int k = 0; k < Clients; k++)
        {
            if (random.NextDouble() < q)
            {
                chosen.Add(k);
            }
        }
        return [.. chosen];
    }
}
