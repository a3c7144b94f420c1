using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests.Personal;

/// <summary>A personal method's run cut after a checkpoint and resumed ends bit for bit as the uninterrupted one: its client state travels with the checkpoint.</summary>
public class PersonalResumeTests
{
    [Theory]
    [InlineData("ditto", "clients_per_round=3")]
    [InlineData("apfl", "clients_per_round=3")]
    [InlineData("pfedme", "clients_per_round=3")]
    [InlineData("ifca", "clients_per_round=3")]
    [InlineData("perfedavg", "clients_per_round=3")]
    [InlineData("l2gd", "clients_per_round=6")]
    [InlineData("pcl", "clients_per_round=3|algorithm.bias_correction=true")]
    public void AResumedRunEqualsAnUninterruptedOne(string method, string cohort)
    {
        var data = TestExperiments.MnistSubset(300, 100);
        var config = TestExperiments.Config(["model=logreg", $"algorithm.name={method}", "partition.kind=dirichlet", "partition.clients=6", .. cohort.Split('|'),
            "rounds=4", "client.steps=3", "checkpoint.every=2", "eval.clients=false", "diagnostics.enabled=false", "threads=2"]);
        var federated = TestExperiments.Partitioned(data, config);
        using var whole = new FederatedRun(Experiment.From(config), federated);
        whole.Run();

        // Rounds 3 and 4 of the resumed run score every client's personal model, formed from its state as it was restored.
        var (model, rounds) = CutRun.Resume(config, federated, 2, resumed => (resumed.Server.Global.ToArray(), resumed.History.TakeLast(2).ToList()));
        Assert.Equal(whole.Server.Global.ToArray(), model);
        Assert.Equal(4, rounds[^1].Round);
        foreach (var (expected, actual) in whole.History.TakeLast(2).Zip(rounds))
        {
            Assert.Equal(expected.Round, actual.Round);
            Assert.Equal(expected.TestAccuracy, actual.TestAccuracy);
            foreach (string statistic in new[] { "mean", "std", "p10", "worst" })
            {
                Assert.Equal(expected.Extra["personal_accuracy_" + statistic], actual.Extra["personal_accuracy_" + statistic]);
            }
        }
    }
}
