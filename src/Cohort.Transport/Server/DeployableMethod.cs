using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;

namespace Cohort.Transport.Server;

/// <summary>
/// Which methods a deployed run can serve: protocol v1 carries one exchange a round, the model down
/// and the update up, and deployed clients keep no state from round to round.
/// </summary>
public static class DeployableMethod
{
    /// <summary>Throws a <see cref="ConfigException"/> naming the method and what it needs when the protocol cannot carry it.</summary>
    public static void Check(IFederatedAlgorithm algorithm)
    {
        string? need = algorithm.Exchanges != 1 ? $"{algorithm.Exchanges} exchanges a round"
            : algorithm.Uplink.Vectors.Count > 0 || algorithm.Uplink.Scalars.Count > 0 ? $"uplink values besides the update ({string.Join(", ", algorithm.Uplink.Vectors.Concat(algorithm.Uplink.Scalars))})"
            : algorithm.Downlink(0).Count > 0 ? $"server vectors broadcast with the model ({string.Join(", ", algorithm.Downlink(0))})"
            : algorithm.KeepsClientState ? "client state kept from round to round"
            : null;
        if (need is not null)
        {
            throw new ConfigException($"algorithm.name {algorithm.Name}: a deployed run cannot serve it yet; it needs {need}, which protocol v1 does not carry. Run it with 'cohort run', or choose a method that sends only its update (fedavg, fedsgd, fedprox, fedavgm, fedadagrad, fedadam, fedyogi).");
        }
    }
}
