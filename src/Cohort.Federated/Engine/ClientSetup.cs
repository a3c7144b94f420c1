using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Engine;

/// <summary>What a client trains with, built from the experiment's keys: the same for in-process workers and deployed clients.</summary>
internal static class ClientSetup
{
    /// <summary>
    /// The experiment's update pipeline in its <c>stages</c> order (by default worker momentum, uplink
    /// compression, norm clipping), the clients' state in <paramref name="states"/>; deployed clients and
    /// the deployed server build the same. Clipping reports to <paramref name="clipping"/> when given; a
    /// private run's stages take their sampling rate from <paramref name="sampler"/>.
    /// </summary>
    public static UpdatePipeline Pipeline(ExperimentConfig config, Segments segments, IClientStateStore states, ClippingMeter? clipping = null, CohortSampler? sampler = null,
        Func<int, int>? clientSamples = null)
    {
        var args = new StageArgs(config, states, segments, clipping ?? new ClippingMeter()) { Sampler = sampler, ClientSamples = clientSamples };
        return StageOrder.Arrange(config, [.. StageOrder.Declared.Select(d => new StageOrder.Candidate(d.Name, d.SwitchedOnBy, d.Create(args)))]);
    }

    /// <summary>The optimizer a client trains with, built from the experiment's client.* keys.</summary>
    public static IOptimizer Optimizer(LocalWork work)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var parameters = new Dictionary<string, string>
        {
            ["lr"] = work.LearningRate.ToString("R", ci),
            ["weight_decay"] = work.WeightDecay.ToString("R", ci),
        };
        if (work.Optimizer == "sgd")
        {
            parameters["momentum"] = work.Momentum.ToString("R", ci);
        }
        else if (work.Momentum != 0)
        {
            throw new ConfigException($"client.momentum applies to client.optimizer sgd, not {work.Optimizer}.");
        }
        return OptimizerFactory.Create(work.Optimizer, parameters);
    }
}
