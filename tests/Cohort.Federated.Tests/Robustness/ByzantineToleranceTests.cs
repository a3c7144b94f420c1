using Cohort.Federated.Aggregation;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests.Robustness;

/// <summary>aggregator.f counts the Byzantine clients a cohort is expected to hold, and a cohort too small for the rule is refused at start.</summary>
public class ByzantineToleranceTests
{
    private static ExperimentConfig Config(params string[] settings) =>
        TestExperiments.Config([.. new[] { "partition.clients=100", "clients_per_round=10", "attack.name=bit-flip" }, .. settings]);

    [Fact]
    public void FIsTheExpectedByzantineCountOfACohortRoundedUp()
    {
        // 25 of 100 clients are Byzantine; a cohort of 10 holds 2.5 of them on average: f = 3.
        Assert.Equal(3, ByzantineTolerance.F(Config("attack.byzantine=0.25"), 100, 10));
        // 20 of 100: exactly 2.
        Assert.Equal(2, ByzantineTolerance.F(Config("attack.byzantine=20"), 100, 10));
        Assert.Equal(0, ByzantineTolerance.F(Config("attack.byzantine=0"), 100, 10));
        // The whole population each round: the population's count.
        Assert.Equal(7, ByzantineTolerance.F(Config("attack.byzantine=7"), 100, 100));
        Assert.Equal(5, ByzantineTolerance.F(Config("attack.byzantine=0.25", "aggregator.f=5"), 100, 10));
    }

    [Fact]
    public void TheFactorysTrimmedMeanDropsTheCohortsExpectedCountFromEachEnd()
    {
        var rule = AggregatorFactory.Create(Config("attack.byzantine=0.25", "aggregator.name=trimmed-mean"), 100, 10);
        float[][] updates = [[0], [0], [0], [1], [1], [1], [1], [100], [100], [100]];
        rule.Begin(1);
        foreach (var u in updates)
        {
            rule.Add(u, 1);
        }
        var result = new float[1];
        rule.Complete(result);
        // f = 3: the three 0s and the three 100s are dropped, the mean of the four 1s is left.
        Assert.Equal(1f, result[0]);
    }

    [Theory]
    [InlineData("krum", "0.4", "n ≥ 2f + 3", 4)]
    [InlineData("multi-krum", "0.4", "n ≥ 2f + 3", 4)]
    [InlineData("bulyan", "0.2", "n ≥ 4f + 3", 2)]
    [InlineData("trimmed-mean", "0.5", "n > 2f", 5)]
    [InlineData("median", "0.5", "n > 2f", 5)]
    [InlineData("geometric-median", "0.5", "n > 2f", 5)]
    [InlineData("centered-clipping", "0.5", "n > 2f", 5)]
    public void ACohortThatBreaksTheRulesConditionIsRefusedNamingNAndF(string rule, string byzantine, string condition, int f)
    {
        var e = Assert.Throws<ConfigException>(() => AggregatorFactory.Create(Config($"attack.byzantine={byzantine}", $"aggregator.name={rule}"), 100, 10));
        Assert.Contains($"aggregator.name {rule}", e.Message);
        Assert.Contains(condition, e.Message);
        Assert.Contains("n = 10", e.Message);
        Assert.Contains($"f = {f}", e.Message);
    }

    [Fact]
    public void TheLimitsThemselvesAreAccepted()
    {
        // Krum with n = 2f + 3 = 9 and f = 3; Bulyan with n = 4f + 3 = 7 and f = 1; Zeno with n = f + 1.
        AggregatorFactory.Create(Config("attack.byzantine=0.3", "aggregator.name=krum"), 100, 9);
        AggregatorFactory.Create(Config("attack.byzantine=0.1", "aggregator.name=bulyan"), 100, 7);
        AggregatorFactory.Create(Config("aggregator.f=9", "aggregator.name=zeno"), 100, 10);
        Assert.Throws<ConfigException>(() => AggregatorFactory.Create(Config("aggregator.f=10", "aggregator.name=zeno"), 100, 10));
    }

    [Fact]
    public void BucketsAreWhatTheRuleCounts()
    {
        // 10 updates in buckets of 2 are 5 means; Krum with f = 1 needs 5, with f = 2 needs 7.
        AggregatorFactory.Create(Config("aggregator.f=1", "aggregator.name=krum", "aggregator.bucketing=2"), 100, 10);
        var e = Assert.Throws<ConfigException>(() => AggregatorFactory.Create(Config("aggregator.f=2", "aggregator.name=krum", "aggregator.bucketing=2"), 100, 10));
        Assert.Contains("n = 5 buckets", e.Message);
        var nnm = Assert.Throws<ConfigException>(() => AggregatorFactory.Create(Config("aggregator.f=5", "aggregator.nnm=true"), 100, 10));
        Assert.Contains("aggregator.nnm", nnm.Message);
    }

    [Fact]
    public void TheRunIsRefusedAtStart()
    {
        var config = TestExperiments.Config("model=logreg", "partition.clients=20", "clients_per_round=5", "attack.name=bit-flip", "attack.byzantine=4", "aggregator.name=krum");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(400, 100), config);
        // 4 of 20 Byzantine, cohorts of 5: f = 1, and Krum needs 2f + 3 = 5: accepted.
        new FederatedRun(Experiment.From(config), data).Dispose();
        config.Set("attack.byzantine", "5");
        // 5 of 20: 1.25 expected, f = 2, and 5 < 7.
        var e = Assert.Throws<ConfigException>(() => new FederatedRun(Experiment.From(config), data).Dispose());
        Assert.Contains("f = 2", e.Message);
    }
}
