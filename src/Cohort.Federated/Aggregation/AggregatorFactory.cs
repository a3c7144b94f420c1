using Cohort.Federated.Aggregation.Robust;
using Cohort.Federated.Attacks;
using Cohort.Federated.Config;

namespace Cohort.Federated.Aggregation;

/// <summary>Maps aggregator.* to an aggregator: the streaming weighted mean, or a robust rule with its pre-aggregation steps.</summary>
public static class AggregatorFactory
{
    public static IAggregator Create(ExperimentConfig config, int clients)
    {
        string name = config.Get("aggregator.name");
        int f = config.GetOptionalInt("aggregator.f") ?? AttackFactory.ByzantineCount(config, clients);
        var steps = new List<IPreAggregation>();
        if (config.GetDouble("aggregator.clip") > 0)
        {
            steps.Add(new NormClipping(config.GetDouble("aggregator.clip")));
        }
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
            return steps.Count == 0 ? new MajorityVote() : throw new ConfigException("aggregator.name: majority-vote counts the clients' signs; it takes no pre-aggregation (aggregator.clip, aggregator.nnm, aggregator.bucketing).");
        }
        BufferedAggregator robust = name switch
        {
            "mean" => new UniformMean { PreAggregation = steps },
            "median" => new CoordinateMedian { PreAggregation = steps },
            "trimmed-mean" => new TrimmedMean(f) { PreAggregation = steps },
            "krum" => new Krum(f) { PreAggregation = steps },
            "multi-krum" => new Krum(f, config.GetInt("aggregator.m")) { PreAggregation = steps },
            "geometric-median" => new GeometricMedian(config.GetInt("aggregator.iterations")) { PreAggregation = steps },
            "centered-clipping" => new CenteredClipping(config.GetDouble("aggregator.tau"), config.GetInt("aggregator.iterations")) { PreAggregation = steps },
            "bulyan" => new Bulyan(f) { PreAggregation = steps },
            "zeno" => new Zeno(f, config.GetDouble("aggregator.rho")) { PreAggregation = steps },
            _ => throw new ConfigException($"aggregator.name: '{name}' is not available."),
        };
        return robust;
    }
}
