using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>The compression.* keys read by more than one compressor's setup.</summary>
internal static class CompressionKeys
{
    /// <summary>Every registered compressor's name.</summary>
    public static IReadOnlyList<string> Methods => ComponentRegistry.Names(ComponentKind.Compressor);

    /// <summary>compression.uplink.error_feedback as set, else ef with powersgd and none with any other method.</summary>
    public static string UplinkFeedback(ExperimentConfig config) =>
        config.GetOptional("compression.uplink.error_feedback") ?? (config.Get("compression.uplink.name") == "powersgd" ? "ef" : "none");
}
