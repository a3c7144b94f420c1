using Cohort.Federated.Config;

namespace Cohort.Transport.Server;

/// <summary>
/// What a deployed run cannot serve yet. Every method runs deployed (several exchanges a round, uplink
/// vectors and scalars, downlink vectors, client state), and so does uplink compression (frames, and
/// PowerSGD's factors as two exchanges); the compressed broadcast is still refused.
/// </summary>
public static class DeployableMethod
{
    /// <summary>Throws a <see cref="ConfigException"/> naming the setting and why when the experiment cannot be served.</summary>
    public static void Check(ExperimentConfig config)
    {
        string mode = config.Get("mode");
        if (mode != "federated")
        {
            throw new ConfigException($"mode: a deployed run is federated; '{mode}' runs with 'cohort run'.");
        }
        string downlink = config.Get("compression.downlink.name");
        if (downlink != "none")
        {
            throw new ConfigException($"compression.downlink.name {downlink}: a deployed run cannot compress the broadcast yet; it sends the difference to the model the clients hold, and a client that missed a round does not hold it. Run it with 'cohort run', or set compression.downlink.name none.");
        }
    }
}
