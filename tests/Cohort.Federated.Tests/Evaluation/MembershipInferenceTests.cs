using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Evaluation;

public class MembershipInferenceTests
{
    [Fact]
    public void AucIsTheShareOfPairsTheMemberWinsWithTiesCountedHalf()
    {
        // Pairs (member, non-member): 0.1 beats 0.5 and 0.9; each 0.5 ties 0.5 and beats 0.9: (2 + 2·(½ + 1))/6.
        Assert.Equal(5.0 / 6, MembershipInference.Auc([0.1f, 0.5f, 0.5f], [0.5f, 0.9f]), 12);
        Assert.Equal(1.0, MembershipInference.Auc([0.1f, 0.2f], [0.3f]));
        Assert.Equal(0.0, MembershipInference.Auc([0.4f], [0.3f, 0.1f]));
        Assert.Equal(0.5, MembershipInference.Auc([0.2f, 0.2f], [0.2f]));
        Assert.True(double.IsNaN(MembershipInference.Auc([], [0.2f])));
    }

    [Fact]
    public void AucIsTheAreaUnderTheRocCurveByTrapezoids()
    {
        var random = RandomStream.Create(4);
        // Coarse losses, so that many are tied.
        var members = Enumerable.Range(0, 300).Select(_ => random.NextInt(20) / 10f).ToArray();
        var others = Enumerable.Range(0, 200).Select(_ => (random.NextInt(20) + 4) / 10f).ToArray();
        Assert.Equal(TrapezoidRocArea(members, others), MembershipInference.Auc(members, others), 12);
    }

    [Fact]
    public void EqualLossDistributionsGiveAboutOneHalf()
    {
        var random = RandomStream.Create(9);
        var a = Enumerable.Range(0, 5000).Select(_ => random.NextFloat()).ToArray();
        var b = Enumerable.Range(0, 5000).Select(_ => random.NextFloat()).ToArray();
        // Under the null the AUC's standard deviation is √((m + n + 1)/(12mn)) ≈ 0.0058: five of them.
        Assert.InRange(MembershipInference.Auc(a, b), 0.5 - 0.029, 0.5 + 0.029);
    }

    [Fact]
    public void AHeavilyOverfitModelGivesItsMembersAway()
    {
        var config = TestExperiments.Config("model=mlp", "partition.clients=2", "rounds=15", "client.epochs=5", "client.lr=0.1", "client.batch_size=10",
            "eval.clients=false", "diagnostics.enabled=false", "threads=1", "seed=2", "eval.membership_auc=true", "eval.membership_samples=100");
        var rounds = new List<RoundMetrics>();
        using var run = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(TestExperiments.MnistSubset(100, 300), config), [new Collector(rounds)]);
        run.Run();
        // Reported once, after the last round.
        Assert.All(rounds.SkipLast(1), r => Assert.False(r.Extra.ContainsKey(MembershipInference.Metric)));
        Assert.InRange(rounds[^1].Extra[MembershipInference.Metric], 0.7, 1.0);
    }

    /// <summary>ROC of the score −loss: a point per distinct threshold, (FPR, TPR) from (0, 0) to (1, 1), area by trapezoids.</summary>
    private static double TrapezoidRocArea(float[] members, float[] others)
    {
        var thresholds = members.Concat(others).Distinct().OrderBy(v => v).ToArray();
        double area = 0, fpr = 0, tpr = 0;
        foreach (float t in thresholds)
        {
            // Guess "member" for losses at most t.
            double nextTpr = members.Count(v => v <= t) / (double)members.Length;
            double nextFpr = others.Count(v => v <= t) / (double)others.Length;
            area += (nextFpr - fpr) * (nextTpr + tpr) / 2;
            (fpr, tpr) = (nextFpr, nextTpr);
        }
        return area;
    }

    private sealed class Collector(List<RoundMetrics> rounds) : IRunCallback
    {
        public void OnRound(RoundMetrics metrics) => rounds.Add(metrics);
    }
}
