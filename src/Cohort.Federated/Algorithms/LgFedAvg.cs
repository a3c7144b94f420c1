using Cohort.Federated.Config;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// LG-FedAvg (Liang et al. 2020, "Think Locally, Act Globally"): the reverse split of FedPer. Each client
/// keeps its local representation (the parameters <c>algorithm.personal</c> names, by default all but the
/// last layer) and the global head is federated with FedAvg. A client trains its whole model from its own
/// representation and the broadcast head and sends only the head's change, as the reference code does
/// (pliang279/LG-FedAvg, main_lg.py: w_glob_keys, the last num_layers_keep layers, averaged; the rest local).
/// </summary>
internal sealed class LgFedAvg(IReadOnlyList<string> representation) : KeptPartMethod("lgfedavg", representation, "local representation layers", "@body or fc1.*,fc2.*")
{
    public static AlgorithmDeclaration Declaration { get; } = new("lgfedavg", "LG-FedAvg (Liang et al. 2020): local representation kept by each client, the global head federated with FedAvg",
        config => new LgFedAvg(PersonalParameters.Patterns(config.Get(PersonalParameters.Key))))
    {
        Keys = [Key.Text("personal", PersonalParameters.Body, "the local representation kept by each client, as parameter-name patterns (comma-separated, * any characters; @body: all but the last layer)")],
    };
}
