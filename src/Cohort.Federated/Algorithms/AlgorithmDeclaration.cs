using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>A method's declaration: name, doc, its algorithm.* keys and factory, and what the pipeline must know before it is built.</summary>
public sealed record AlgorithmDeclaration(string Name, string Doc, Func<ExperimentConfig, IFederatedAlgorithm> Create)
    : ComponentDeclaration<ExperimentConfig, IFederatedAlgorithm>(ComponentKind.Algorithm, Name, Doc, Create)
{
    /// <summary>Whether the method encodes its messages with the uplink compressor itself (<see cref="IEncodesOwnUplink"/>), so that compression runs as no stage.</summary>
    public bool EncodesOwnUplink { get; init; }
}
