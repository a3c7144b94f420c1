using Cohort.Federated.Compression;
using Cohort.Federated.Config;

namespace Cohort.Federated.Algorithms;

/// <summary>The compressor Q of methods that compress their own messages (DIANA, MARINA): the uplink compressor, unbiased, which then runs as no separate stage.</summary>
internal static class MethodCompressor
{
    public static ICompressor Uplink(ExperimentConfig config, string method)
    {
        if (config.Get("compression.uplink.name") is "lazy" or "powersgd")
        {
            throw new ConfigException($"compression.uplink.name: {config.Get("compression.uplink.name")} is not a compressor {method} can use.");
        }
        if (CompressionKeys.UplinkFeedback(config) != "none")
        {
            throw new ConfigException($"compression.uplink.error_feedback: {method} corrects its compressor's error itself; set none.");
        }
        var compressor = CompressorFactory.Create(config, "uplink", Segments.Whole) ?? new DenseFloat32();
        if (!compressor.Unbiased)
        {
            // Their analyses hold for unbiased Q with variance ω‖x‖²; a biased Q shifts every step.
            throw new ConfigException($"compression.uplink.name: {compressor.Name} is biased; {method} needs an unbiased compressor (randk, qsgd, natural, terngrad, stochastic-rounding or none).");
        }
        return compressor;
    }

    /// <summary>|S|/N: the share of clients in each round's cohort.</summary>
    public static double Participation(ExperimentConfig config)
    {
        double perRound = config.GetDouble("clients_per_round");
        int clients = config.GetInt("partition.clients");
        return perRound <= 1 ? Math.Max(1, Math.Round(perRound * clients)) / clients : Math.Min(perRound, clients) / clients;
    }
}
