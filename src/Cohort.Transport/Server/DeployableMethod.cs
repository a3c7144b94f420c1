using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;

namespace Cohort.Transport.Server;

/// <summary>
/// Which methods a deployed run can serve: protocol v1 carries one exchange a round, the model down
/// and the update up, and deployed clients keep no state from round to round.
/// </summary>
public static class DeployableMethod
{
    /// <summary>Throws a <see cref="ConfigException"/> when the experiment's method or its compression settings cannot be served.</summary>
    public static void Check(ExperimentConfig config)
    {
        CheckCompression(config);
        Check(AlgorithmFactory.Create(config));
    }

    /// <summary>
    /// Protocol v1 sends the model and the update dense (float32): compressed links (compression.uplink.*,
    /// compression.downlink.*), PowerSGD's second exchange and the methods that encode their own messages are not carried.
    /// </summary>
    public static void CheckCompression(ExperimentConfig config)
    {
        string method = config.Get("algorithm.name");
        if (method is "diana" or "marina")
        {
            throw new ConfigException($"algorithm.name {method}: a deployed run cannot serve it yet; it needs compressed messages and client state kept from round to round, which protocol v1 does not carry. Run it with 'cohort run'.");
        }
        foreach (string link in (string[])["uplink", "downlink"])
        {
            string key = $"compression.{link}.name";
            string name = config.Get(key);
            if (name != "none")
            {
                string need = name == "powersgd" ? "a second exchange a round for its Q factors" : $"{link} messages encoded as {name}";
                throw new ConfigException($"{key} {name}: a deployed run cannot use compression yet; it needs {need}, which protocol v1 (dense float32 model and update) does not carry. Run it with 'cohort run', or set {key} none.");
            }
            if (config.Get($"compression.{link}.error_feedback") != "none")
            {
                throw new ConfigException($"compression.{link}.error_feedback: a deployed run cannot use compression yet; set none.");
            }
        }
    }

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
