using Cohort.Federated.Aggregation.Robust;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Aggregation;

/// <summary>Maps aggregator.* to an aggregator: the streaming weighted mean, or a robust rule with its pre-aggregation steps (norm clipping, aggregator.clip, is a stage: <see cref="Stages.NormClippingStage"/>).</summary>
public static class AggregatorFactory
{
    /// <summary>The aggregator for cohorts of <paramref name="cohort"/> of the <paramref name="clients"/>; clipping rules report to <paramref name="clipping"/>.</summary>
    public static IAggregator Create(ExperimentConfig config, int clients, int cohort, ClippingMeter? clipping = null)
    {
        string name = config.Get("aggregator.name");
        int f = ByzantineTolerance.F(config, clients, cohort);
        ByzantineTolerance.Check(config, cohort, f);
        var steps = new List<IPreAggregation>();
        if (config.GetBool("aggregator.nnm"))
        {
            steps.Add(new NearestNeighborMixing(f));
        }
        if (config.GetInt("aggregator.bucketing") > 1)
        {
            steps.Add(new Bucketing(config.GetInt("aggregator.bucketing")));
        }
        if (name == "mean" && steps.Count == 0)
        {
            return new WeightedMean();
        }
        if (name == "majority-vote")
        {
            return steps.Count == 0 ? new MajorityVote() : throw new ConfigException("aggregator.name: majority-vote counts the clients' signs; it takes no pre-aggregation (aggregator.nnm, aggregator.bucketing).");
        }
        BufferedAggregator robust = name switch
        {
            "mean" => new UniformMean { PreAggregation = steps, Clipping = clipping },
            "median" => new CoordinateMedian { PreAggregation = steps, Clipping = clipping },
            "trimmed-mean" => new TrimmedMean(f) { PreAggregation = steps, Clipping = clipping },
            "krum" => new Krum(f) { PreAggregation = steps, Clipping = clipping },
            "multi-krum" => new Krum(f, config.GetInt("aggregator.m")) { PreAggregation = steps, Clipping = clipping },
            "geometric-median" => new GeometricMedian(config.GetInt("aggregator.iterations")) { PreAggregation = steps, Clipping = clipping },
            "centered-clipping" => new CenteredClipping(config.GetOptionalDouble("aggregator.tau"), config.GetInt("aggregator.iterations")) { PreAggregation = steps, Clipping = clipping },
            "bulyan" => new Bulyan(f) { PreAggregation = steps, Clipping = clipping },
            // Zeno's γ: clients send deltas, so the gradient it scores is −Δ / client.lr.
            "zeno" => new Zeno(f, config.GetDouble("aggregator.rho"), config.GetDouble("client.lr"), config.GetInt("aggregator.zeno_batch")) { PreAggregation = steps, Clipping = clipping },
            _ => throw new ConfigException($"aggregator.name: '{name}' is not available."),
        };
        return robust;
    }
}
