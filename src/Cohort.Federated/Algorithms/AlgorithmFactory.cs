using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>Builds the method algorithm.name selects, by its declaration (<see cref="AlgorithmDeclaration"/>).</summary>
internal static class AlgorithmFactory
{
    public static IFederatedAlgorithm Create(ExperimentConfig config)
    {
        config.CheckApplicable();
        return Declaration(config).Create(config);
    }

    /// <summary>The declaration of the selected method.</summary>
    public static AlgorithmDeclaration Declaration(ExperimentConfig config) =>
        (AlgorithmDeclaration)ComponentRegistry.Selected<ExperimentConfig, IFederatedAlgorithm>(config, ComponentKind.Algorithm);
}
