using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Modules;

namespace Cohort.Federated.Engine;

/// <summary>
/// What an experiment's keys select around a model, wired in one place, so that the simulation, the
/// deployed server and a deployed client build the same method (with PowerSGD's exchanges where it
/// compresses the uplink), the same update stages and the same downlink compression.
/// </summary>
internal sealed record ExperimentWiring(IFederatedAlgorithm Algorithm, Segments Segments, UpdatePipeline Pipeline, DownlinkCompression? Downlink)
{
    /// <summary>Builds the pieces for <paramref name="model"/>; a given <paramref name="algorithm"/> or <paramref name="pipeline"/> replaces the configured one.</summary>
    public static ExperimentWiring Build(ExperimentConfig config, Model model, IClientStateStore states, ClippingMeter? clipping = null,
        IFederatedAlgorithm? algorithm = null, UpdatePipeline? pipeline = null, CohortSampler? sampler = null, Func<int, int>? clientSamples = null)
    {
        var method = CompressionSetup.WithPowerSgd(config, algorithm ?? AlgorithmFactory.Create(config), model);
        var segments = CompressionSetup.SegmentsOf(model);
        return new(method, segments, pipeline ?? ClientSetup.Pipeline(config, segments, states, clipping, sampler, clientSamples), CompressionSetup.Downlink(config, segments));
    }
}
