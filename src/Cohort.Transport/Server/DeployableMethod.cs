using Cohort.Federated.Config;

namespace Cohort.Transport.Server;

/// <summary>
/// What a deployed run cannot serve: the baselines (centralized, local), which are not federated, and the
/// validation split (partition.validation), which simulation draws from the pooled data. Every
/// method but pcl (refused by the run: its steps need other clients' gradients at a client's model) runs deployed (several exchanges a round, uplink vectors and scalars, downlink vectors, client
/// state), and so does compression both ways (uplink frames, PowerSGD's two exchanges, compressed broadcasts).
/// </summary>
internal static class DeployableMethod
{
    /// <summary>Throws a <see cref="ConfigException"/> naming the setting and why when the experiment cannot be served.</summary>
    public static void Check(ExperimentConfig config)
    {
        string mode = config.Get("mode");
        if (mode != "federated")
        {
            throw new ConfigException($"mode: a deployed run is federated; '{mode}' runs with 'cohort run'.");
        }
        if (config.GetDouble(Federated.Partitions.FederatedData.ValidationKey) > 0)
        {
            // A deployed client's data is its own files, split by the client: the server draws no validation split.
            throw new ConfigException($"{Federated.Partitions.FederatedData.ValidationKey}: the validation split is drawn in simulated runs ('cohort run'); a deployed run has none.");
        }
    }
}
