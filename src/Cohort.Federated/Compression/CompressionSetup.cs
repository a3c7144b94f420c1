using Cohort.Federated.Config;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Compression;

/// <summary>Builds the uplink stage and the downlink broadcast from the compression.* keys, refusing combinations that mean nothing.</summary>
public static class CompressionSetup
{
    public static UpdatePipeline Uplink(ExperimentConfig config, Segments segments, IClientStateStore states)
    {
        if (config.Get("algorithm.name") is "diana" or "marina")
        {
            // These methods encode their messages with the uplink compressor themselves.
            return UpdatePipeline.Empty;
        }
        string name = config.Get("compression.uplink.name");
        var feedback = config.Get("compression.uplink.error_feedback") switch
        {
            "ef" => ErrorFeedback.Ef,
            "ef21" => ErrorFeedback.Ef21,
            _ => ErrorFeedback.None,
        };
        if (feedback != ErrorFeedback.None && name is "none" or "lazy")
        {
            throw new ConfigException($"compression.uplink.error_feedback: {config.Get("compression.uplink.error_feedback")} wraps a compressor, and compression.uplink.name is {name}.");
        }
        if (name == "lazy")
        {
            return new UpdatePipeline([new LazyUploadStage(config.GetDouble("compression.uplink.lazy_ratio"), states)]);
        }
        var compressor = CompressorFactory.Create(config, "uplink", segments);
        return compressor is null ? UpdatePipeline.Empty : new UpdatePipeline([new CompressionStage(compressor, feedback, states)]);
    }

    /// <summary>The compressed broadcast, or null when the model goes out dense.</summary>
    public static DownlinkCompression? Downlink(ExperimentConfig config, Segments segments, float[] initialModel)
    {
        if (config.Get("compression.downlink.name") == "lazy")
        {
            throw new ConfigException("compression.downlink.name: lazy applies to the uplink only (clients skipping uploads).");
        }
        var compressor = CompressorFactory.Create(config, "downlink", segments);
        return compressor is null ? null : new DownlinkCompression(compressor, initialModel);
    }

    /// <summary>The model's tensor sizes in layout order, for per-tensor scales.</summary>
    public static Segments SegmentsOf(NN.Modules.Model model) => new(model.NamedParameters.Select(t => t.Size).ToArray());
}
