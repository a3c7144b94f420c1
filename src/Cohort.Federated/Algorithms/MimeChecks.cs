using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>What Mime and MimeLite need of the client: they step with the server's momentum, so plain SGD.</summary>
internal static class MimeChecks
{
    public static IFederatedAlgorithm RequirePlainSgd(ExperimentConfig config, IFederatedAlgorithm method) =>
        config.Get("client.optimizer") != "sgd" || config.GetDouble("client.momentum") != 0
            ? throw new ConfigException($"algorithm.name {method.Name} steps with the server's momentum (algorithm.beta); it needs client.optimizer sgd with client.momentum 0.")
            : method;
}
