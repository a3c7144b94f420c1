using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Compression;

/// <summary>Builds the uplink stage and the downlink broadcast from the compression.* keys, refusing combinations that mean nothing.</summary>
internal static class CompressionSetup
{
    /// <summary>Uplink compression as an update stage: its stages (error feedback, lazy uploads, the compressor) come from compression.uplink.*.</summary>
    public static StageDeclaration Declaration { get; } = new("compression", "uplink compression, with its error feedback, as compression.uplink.* selects it",
        "compression.uplink.name", a => Uplink(a.Config, a.Segments, a.States).Stages)
    {
        Order = 1,
    };

    public static UpdatePipeline Uplink(ExperimentConfig config, Segments segments, IClientStateStore states)
    {
        if (AlgorithmFactory.Declaration(config).EncodesOwnUplink)
        {
            return UpdatePipeline.Empty;
        }
        string name = config.Get("compression.uplink.name");
        string feedbackName = CompressionKeys.UplinkFeedback(config);
        var feedback = feedbackName switch
        {
            "ef" => ErrorFeedback.Ef,
            "ef21" => ErrorFeedback.Ef21,
            _ => ErrorFeedback.None,
        };
        if (feedback != ErrorFeedback.None && name is "none" or "lazy")
        {
            throw new ConfigException($"compression.uplink.error_feedback: {feedbackName} wraps a compressor, and compression.uplink.name is {name}.");
        }
        if (name == "powersgd")
        {
            if (feedback == ErrorFeedback.Ef21)
            {
                throw new ConfigException("compression.uplink.error_feedback: powersgd takes ef or none.");
            }
            // Its two exchanges are the method's (PowerSgdExchanges), not a stage.
            return UpdatePipeline.Empty;
        }
        if (name == "lazy")
        {
            return new UpdatePipeline([new LazyUploadStage(config.GetDouble("compression.uplink.lazy_ratio"), states)]);
        }
        var compressor = CompressorFactory.Create(config, "uplink", segments);
        return compressor is null ? UpdatePipeline.Empty : new UpdatePipeline([new CompressionStage(compressor, feedback, states)]);
    }

    /// <summary>The compressed broadcast, or null when the model goes out dense.</summary>
    public static DownlinkCompression? Downlink(ExperimentConfig config, Segments segments)
    {
        if (config.Get("compression.downlink.name") is "lazy" or "powersgd")
        {
            throw new ConfigException($"compression.downlink.name: {config.Get("compression.downlink.name")} applies to the uplink only.");
        }
        var compressor = CompressorFactory.Create(config, "downlink", segments);
        return compressor is null ? null : new DownlinkCompression(compressor);
    }

    /// <summary>The method with PowerSGD's two exchanges a round when compression.uplink.name is powersgd, else the method itself.</summary>
    public static IFederatedAlgorithm WithPowerSgd(ExperimentConfig config, IFederatedAlgorithm method, NN.Modules.Model model)
    {
        if (config.Get("compression.uplink.name") != "powersgd" || AlgorithmFactory.Declaration(config).EncodesOwnUplink)
        {
            return method;
        }
        if (config.Get("aggregator.name") != "mean")
        {
            throw new ConfigException($"aggregator.name: powersgd averages its factors; {config.Get("aggregator.name")} cannot combine them (use mean).");
        }
        string? conflict = method.Exchanges != 1 ? $"algorithm.name {method.Name} ({method.Exchanges} exchanges a round)"
            : method.Uplink.Vectors.Count + method.Uplink.Scalars.Count > 0 ? $"algorithm.name {method.Name} (it sends {string.Join(", ", method.Uplink.Vectors.Concat(method.Uplink.Scalars))} besides the update)"
            : method.PersonalPatterns.Count > 0 ? $"algorithm.name {method.Name} (it keeps the parameters {Personal.PersonalParameters.Key} names with each client, and factors of the whole update would carry them)"
            : config.Get("attack.name") != "none" ? "a simulated attack (attack.name)"
            : config.GetDouble("robust.worker_momentum") > 0 ? "robust.worker_momentum (a stage on the update, which PowerSGD sends as factors)"
            : null;
        if (conflict is not null)
        {
            throw new ConfigException($"compression.uplink.name: powersgd adds its two exchanges to a method that sends only its update in one exchange; it cannot run with {conflict}.");
        }
        var power = new PowerSgd(MatrixBlock.Of(model), model.Parameters.Length, config.GetInt("compression.uplink.rank"));
        return new PowerSgdExchanges(method, power, CompressionKeys.UplinkFeedback(config) == "ef", (ulong)config.GetInt("seed"));
    }

    /// <summary>The model's tensor sizes in layout order, for per-tensor scales.</summary>
    public static Segments SegmentsOf(NN.Modules.Model model) => new(model.NamedParameters.Select(t => t.Size).ToArray());
}
