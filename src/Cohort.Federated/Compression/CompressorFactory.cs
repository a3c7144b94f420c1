using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>Builds the compressor that compression.{direction}.name selects, by its declaration.</summary>
internal static class CompressorFactory
{
    /// <summary>The compressor, or null for none (dense float32 without a frame), lazy and powersgd (run by their own classes).</summary>
    public static ICompressor? Create(ExperimentConfig config, string direction, Segments segments)
    {
        string prefix = "compression." + direction + ".";
        return ComponentRegistry.Selected<CompressorArgs, ICompressor?>(config, ComponentKind.Compressor, prefix + "name").Create(new CompressorArgs(config, prefix, segments));
    }
}
