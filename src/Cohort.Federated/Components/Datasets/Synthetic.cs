using Cohort.Data;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Datasets;

/// <summary>dataset.name synthetic: Synthetic(α, β) of Li et al. (2020), generated per client.</summary>
internal static class Synthetic
{
    public static DatasetDeclaration Declaration { get; } = new("synthetic", "Synthetic(α, β) (Li et al. 2020): logistic-regression data, one natural client per user",
        a => SyntheticData.Generate(a.Config.GetDouble("dataset.alpha"), a.Config.GetDouble("dataset.beta"), a.Config.GetInt("partition.clients"), a.Seed, a.Config.GetBool("dataset.iid")))
    {
        Keys =
        [
            Key.Number("alpha", "1", "α, how much clients' models differ", 0),
            Key.Number("beta", "1", "β, how much clients' inputs differ", 0),
            Key.Boolean("iid", "false", "Synthetic-IID (one shared model)"),
        ],
    };
}
