using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Compression;

/// <summary>What a compressor's factory reads: the config, its direction's key prefix (compression.uplink.) and the model's tensor sizes.</summary>
public sealed record CompressorArgs(ExperimentConfig Config, string Prefix, Segments Segments)
{
    public int Int(string key) => Config.GetInt(Prefix + key);

    public double Double(string key) => Config.GetDouble(Prefix + key);
}

/// <summary>A compressor's declaration; its factory returns null where it runs as no frame compressor (none, lazy, powersgd).</summary>
public sealed record CompressorDeclaration(string Name, string Doc, Func<CompressorArgs, ICompressor?> Create)
    : ComponentDeclaration<CompressorArgs, ICompressor?>(ComponentKind.Compressor, Name, Doc, Create);
