using Cohort.Federated.Components;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Stages;
using Cohort.Federated.State;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Engine;

/// <summary>What a client trains with, built from the experiment's keys: the same for in-process workers and deployed clients.</summary>
public static class ClientSetup
{
    /// <summary>The client stages of the experiment's update pipeline (worker momentum, then uplink compression), their state in <paramref name="states"/>; deployed clients build the same.</summary>
    public static UpdatePipeline Pipeline(ExperimentConfig config, Segments segments, IClientStateStore states)
    {
        // Declared stages (worker momentum) act on the update before it is compressed.
        var declared = ComponentRegistry.Of(ComponentKind.Stage).Cast<ComponentDeclaration<StageArgs, IUpdateStage?>>().Select(d => d.Create(new StageArgs(config, states))).OfType<IUpdateStage>();
        return new UpdatePipeline([.. declared, .. CompressionSetup.Uplink(config, segments, states).Stages]);
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
