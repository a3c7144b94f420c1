using Cohort.Data;

namespace Cohort.Federated.Components.Datasets;

/// <summary>dataset.name mnist: the MNIST digits, from IDX files.</summary>
internal static class Mnist
{
    public static DatasetDeclaration Declaration { get; } = new("mnist", "MNIST handwritten digits (28×28, 10 classes), IDX files",
        a => ImageFolder.Load(a.Root, "mnist", a.Config.GetBool("dataset.scale")));
}
