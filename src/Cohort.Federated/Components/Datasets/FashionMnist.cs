using Cohort.Data;

namespace Cohort.Federated.Components.Datasets;

/// <summary>dataset.name fashion-mnist: Fashion-MNIST, from IDX files.</summary>
internal static class FashionMnist
{
    public static DatasetDeclaration Declaration { get; } = new("fashion-mnist", "Fashion-MNIST clothing images (28×28, 10 classes), IDX files",
        a => ImageFolder.Load(a.Root, "fashion-mnist", a.Config.GetBool("dataset.scale")));
}
