using Cohort.Federated.Metrics;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Tests.Personalization;

/// <summary>With simulated attackers, the personal and global spreads are also reported over the honest clients alone (values computed by hand).</summary>
public class HonestAccuracyTests
{
    // Client 3 has no test split (NaN); client 0 attacks.
    private static readonly double[] Personal = [0.1, 0.9, 0.5, double.NaN, 0.7];
    private static readonly double[] Global = [0.8, 0.6, 0.4, double.NaN, 0.2];

    [Fact]
    public void HonestSpreadsLeaveTheAttackersOut()
    {
        var metrics = new RoundMetrics();
        PersonalEvaluation.Record(metrics, Personal, Global, client => client == 0);
        // Honest personal: 0.9, 0.5, 0.7 → mean 0.7, worst 0.5, p10 at rank 0.2 → 0.5 + 0.2·(0.7 − 0.5) = 0.54,
        // population sd √((0.04 + 0.04 + 0) / 3).
        Assert.Equal(0.7, metrics.Extra["honest_personal_accuracy_mean"], 12);
        Assert.Equal(0.5, metrics.Extra["honest_personal_accuracy_worst"], 12);
        Assert.Equal(0.54, metrics.Extra["honest_personal_accuracy_p10"], 12);
        Assert.Equal(Math.Sqrt(0.08 / 3), metrics.Extra["honest_personal_accuracy_std"], 12);
        // Honest global: 0.6, 0.4, 0.2 → mean 0.4, worst 0.2.
        Assert.Equal(0.4, metrics.Extra["honest_global_accuracy_mean"], 12);
        Assert.Equal(0.2, metrics.Extra["honest_global_accuracy_worst"], 12);
        // All clients with a test split: personal mean (0.1 + 0.9 + 0.5 + 0.7) / 4.
        Assert.Equal(0.55, metrics.Extra["personal_accuracy_mean"], 12);
        Assert.Equal(0.1, metrics.Extra["personal_accuracy_worst"], 12);
    }

    [Fact]
    public void WithoutAttackersNoHonestSpreadIsReported()
    {
        var metrics = new RoundMetrics();
        PersonalEvaluation.Record(metrics, Personal, Global);
        Assert.DoesNotContain(metrics.Extra.Keys, k => k.StartsWith("honest_", StringComparison.Ordinal));
        Assert.Equal(0.55, metrics.Extra["personal_accuracy_mean"], 12);
    }
}
