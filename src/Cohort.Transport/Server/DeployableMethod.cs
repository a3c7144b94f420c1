using Cohort.Federated.Config;

namespace Cohort.Transport.Server;

/// <summary>
/// What a deployed run cannot serve yet. Every method runs deployed (several exchanges a round, uplink
/// vectors and scalars, downlink vectors, client state), and so does uplink compression, sent as its
/// frame bytes; two compression settings are still refused.
/// </summary>
public static class DeployableMethod
{
    /// <summary>Throws a <see cref="ConfigException"/> naming the setting and why when the experiment cannot be served.</summary>
    public static void Check(ExperimentConfig config)
    {
        if (config.Get("compression.uplink.name") == "powersgd")
        {
            throw new ConfigException("compression.uplink.name powersgd: a deployed run cannot use it yet; its Q factors are a second pass over the cohort that only the simulation runs. Run it with 'cohort run', or choose another uplink compressor.");
        }
        string downlink = config.Get("compression.downlink.name");
        if (downlink != "none")
        {
            throw new ConfigException($"compression.downlink.name {downlink}: a deployed run cannot compress the broadcast yet; it sends the difference to the model the clients hold, and a client that missed a round does not hold it. Run it with 'cohort run', or set compression.downlink.name none.");
        }
    }
}
