using Cohort.Federated.Config;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedPer (Arivazhagan et al. 2019): the base layers are federated with FedAvg, the personalization
/// layers (the parameters <c>algorithm.personal</c> names; by default the last layer) stay with each client. A client trains its
/// whole model from the global base and its own personalization layers, keeps those layers for its
/// next round and sends only the base layers' change; the engine does the keeping
/// (<see cref="IFederatedAlgorithm.PersonalPatterns"/>).
/// </summary>
internal sealed class FedPer(IReadOnlyList<string> personal) : KeptPartMethod("fedper", personal, "personalization layers", "fc3.*")
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedper", "FedPer (Arivazhagan et al. 2019): base layers federated with FedAvg, personalization layers kept by each client",
        config => new FedPer(PersonalParameters.Patterns(config.Get(PersonalParameters.Key))))
    {
        Keys = [Key.Text("personal", PersonalParameters.Head, "the personalization layers, as parameter-name patterns kept by each client (comma-separated, * any characters; @head: the last layer, as the paper's personalization layers)")],
    };
}
