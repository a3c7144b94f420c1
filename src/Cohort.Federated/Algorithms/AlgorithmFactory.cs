using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>Maps the experiment file's algorithm.name to a method.</summary>
public static class AlgorithmFactory
{
    public static IFederatedAlgorithm Create(ExperimentConfig config) => config.Get("algorithm.name") switch
    {
        "fedavg" => new FedAvg(),
        "fedsgd" => new FedSgd(),
        "diana" => Diana.Create(config),
        "marina" => Marina.Create(config),
        var name => throw new ConfigException($"algorithm.name: '{name}' is not available."),
    };
}
