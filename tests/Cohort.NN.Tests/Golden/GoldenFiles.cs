using Cohort.NN.Serialization;

namespace Cohort.NN.Tests.Golden;

/// <summary>The PyTorch reference files copied beside the test assembly.</summary>
internal static class GoldenFiles
{
    public static string PathOf(string model) => Path.Combine(AppContext.BaseDirectory, "Golden", model + ".safetensors");

    public static SafetensorsFile Read(string model) => SafetensorsFile.Read(PathOf(model));

    /// <summary>Entries that are not model weights: the batch, the results and the gradients.</summary>
    public static bool IsWeight(string name) =>
        name is not ("input" or "labels" or "logits" or "loss") && !name.StartsWith("grad.", StringComparison.Ordinal);
}
