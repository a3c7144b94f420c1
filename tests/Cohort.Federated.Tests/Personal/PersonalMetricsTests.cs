using Cohort.Federated.Metrics;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Tests.Personal;

/// <summary>The personal and global accuracy spreads against a hand computation.</summary>
public class PersonalMetricsTests
{
    [Fact]
    public void MeanP10WorstAndStdAreTheHandComputedOnesOverClientsWithATestSplit()
    {
        // A client without a test split (NaN) counts in none of them.
        double[] personal = [0.5, 0.9, double.NaN, 0.7, 0.1];
        double[] global = [0.4, 0.4, double.NaN, 0.4, 0.4];
        var metrics = new RoundMetrics();
        PersonalEvaluation.Record(metrics, personal, global);
        var m = metrics.Extra;
        // Mean (0.5 + 0.9 + 0.7 + 0.1) / 4 = 0.55; population std √((0.05² + 0.35² + 0.15² + 0.45²) / 4) = √0.0875;
        // p10 interpolates the sorted 0.1, 0.5, 0.7, 0.9 at rank 0.1 · 3 = 0.3: 0.1 + 0.3 · 0.4 = 0.22.
        Assert.Equal(0.55, m["personal_accuracy_mean"], 1e-12);
        Assert.Equal(Math.Sqrt(0.0875), m["personal_accuracy_std"], 1e-12);
        Assert.Equal(0.22, m["personal_accuracy_p10"], 1e-12);
        Assert.Equal(0.1, m["personal_accuracy_worst"], 1e-12);
        Assert.Equal(0.4, m["global_accuracy_mean"], 1e-12);
        Assert.Equal(0, m["global_accuracy_std"], 1e-12);
        Assert.Equal(0.4, m["global_accuracy_p10"], 1e-12);
        Assert.Equal(0.4, m["global_accuracy_worst"], 1e-12);
    }
}
