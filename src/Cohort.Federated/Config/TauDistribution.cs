using Cohort.Tensors.Random;

namespace Cohort.Federated.Config;

/// <summary>
/// Unequal local work: each client's τᵢ for a round drawn from the (seed, round, client) stream,
/// uniform on [min, max] or log-normal with a median and σ (rounded, at least 1), in steps or epochs.
/// </summary>
internal sealed record TauDistribution(string Kind, bool Epochs, int Min, int Max, double Median, double Sigma)
{
    public static TauDistribution? From(ExperimentConfig c)
    {
        string kind = c.Get("client.tau.distribution");
        if (kind == "fixed")
        {
            if (c.Has("client.tau.unit"))
            {
                throw new ConfigException("client.tau.unit applies to a drawn client.tau.distribution (uniform, lognormal), not fixed.");
            }
            return null;
        }
        if (c.Has("client.epochs") || c.Has("client.steps"))
        {
            throw new ConfigException($"client.tau.distribution {kind} draws each client's local work; client.epochs and client.steps do not apply.");
        }
        var tau = kind == "uniform"
            ? new TauDistribution(kind, false, c.GetInt("client.tau.min"), c.GetInt("client.tau.max"), 0, 0)
            : new TauDistribution(kind, false, 0, 0, c.GetDouble("client.tau.median"), c.GetDouble("client.tau.sigma"));
        if (tau.Max < tau.Min)
        {
            throw new ConfigException($"client.tau.max ({tau.Max}) is below client.tau.min ({tau.Min}).");
        }
        return tau with { Epochs = c.Get("client.tau.unit") == "epochs" };
    }

    /// <summary>τᵢ in the distribution's unit.</summary>
    public int Draw(ulong seed, int round, int client)
    {
        var random = RandomStream.Create(seed, RandomStream.Purpose("local-steps"), round, client);
        return Kind == "uniform"
            ? Min + random.NextInt(Max - Min + 1)
            : (int)Math.Max(1, Math.Round(Median * Math.Exp(Sigma * random.NextNormal())));
    }
}
