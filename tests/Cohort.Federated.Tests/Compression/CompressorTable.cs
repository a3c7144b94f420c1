using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

/// <summary>Every compressor by name with its default parameters, as the experiment file would build it.</summary>
internal static class CompressorTable
{
    public static ICompressor Create(string name, params string[] settings)
    {
        var config = TestExperiments.Config([$"compression.uplink.name={name}", .. settings]);
        return CompressorFactory.Create(config, "uplink", Segments.Whole) ?? throw new InvalidOperationException(name);
    }
}
