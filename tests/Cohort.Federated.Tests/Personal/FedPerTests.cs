using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Personal;

namespace Cohort.Federated.Tests.Personal;

/// <summary>FedPer end to end: rounds computed by hand on logistic regression, personal metrics, and a resumed run.</summary>
public class FedPerTests
{
    private const int Classes = 10;

    [Fact]
    public void TwoRoundsMatchAHandComputationWithTheBiasKeptByEachClient()
    {
        // Two clients of 20 samples, one full-batch SGD step each per round: the base (fc.weight) is
        // federated, the personalization layer (fc.bias) stays with each client.
        var config = TestExperiments.Config("model=logreg", "algorithm.name=fedper", "algorithm.personal=fc.bias", "partition.clients=2", "clients_per_round=2",
            "rounds=2", "client.steps=1", "client.batch_size=64", "client.lr=0.5", "eval.clients=false", "diagnostics.enabled=false");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(40, 20), config);
        using var simulation = new FederatedRun(Experiment.From(config), data);
        var initial = simulation.Server.Global.ToArray();
        int inputs = data.Train.SampleSize, weights = Classes * inputs;

        var global = initial.AsSpan(0, weights).ToArray();
        var bias = new[] { initial[weights..], initial[weights..] };
        for (int round = 0; round < 2; round++)
        {
            var next = new double[weights];
            double total = 0;
            for (int k = 0; k < 2; k++)
            {
                var (w, b) = LogisticByHand.SgdStep(data, k, global, bias[k], 0.5f);
                int n = data.Partition.Train[k].Length;
                for (int i = 0; i < weights; i++)
                {
                    next[i] += n * (double)w[i];
                }
                total += n;
                bias[k] = b;
            }
            global = [.. next.Select(v => (float)(v / total))];
        }

        simulation.Run();
        var server = simulation.Server.Global;
        for (int i = 0; i < weights; i++)
        {
            Assert.Equal(global[i], server[i], 1e-5f);
        }
        // The server's bias never moved: no client sent its own.
        Assert.Equal(initial[weights..], server[weights..]);
        for (int k = 0; k < 2; k++)
        {
            var stored = new float[Classes];
            Assert.True(simulation.States.TryRead(k, PersonalParameters.ClientState[PersonalParameters.StateName], stored));
            for (int c = 0; c < Classes; c++)
            {
                Assert.Equal(bias[k][c], stored[c], 1e-5f);
            }
        }
        Assert.NotEqual(bias[0], bias[1]);
    }

    [Fact]
    public void PersonalAccuracyIsReportedOnlyForAMethodThatKeepsAPersonalPart()
    {
        var data = TestExperiments.MnistSubset(400, 200);
        RoundMetrics Last(string method)
        {
            var config = TestExperiments.Config("model=logreg", $"algorithm.name={method}", "partition.kind=dirichlet", "partition.clients=8", "clients_per_round=4",
                "rounds=2", "client.steps=5", "diagnostics.enabled=false");
            if (method == "fedper")
            {
                config.Set("algorithm.personal", "fc.bias");
            }
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            simulation.Run();
            return simulation.History[^1];
        }
        var fedper = Last("fedper");
        double mean = fedper.Extra["personal_accuracy_mean"], p10 = fedper.Extra["personal_accuracy_p10"], worst = fedper.Extra["personal_accuracy_worst"];
        Assert.True(worst <= p10 && p10 <= mean && mean <= 1 && worst >= 0, $"{worst} {p10} {mean}");
        Assert.True(mean > 0.2, $"personal accuracy {mean}");
        Assert.DoesNotContain("personal_accuracy_mean", Last("fedavg").Extra.Keys);
    }

    [Fact]
    public void AResumedRunEqualsAnUninterruptedOne()
    {
        var data = TestExperiments.MnistSubset(300, 100);
        var config = TestExperiments.Config("model=logreg", "algorithm.name=fedper", "algorithm.personal=fc.bias", "partition.clients=6", "clients_per_round=3",
            "rounds=4", "client.steps=3", "checkpoint.every=2", "eval.clients=false", "diagnostics.enabled=false", "threads=2");
        var federated = TestExperiments.Partitioned(data, config);
        (float[] Model, float[][] Personal, double Accuracy) Outcome(FederatedRun s) =>
            (s.Server.Global.ToArray(), [.. Enumerable.Range(0, 6).Select(k => Personal(s, k))], s.History[^1].Extra["personal_accuracy_mean"]);

        using var whole = new FederatedRun(Experiment.From(config), federated);
        whole.Run();
        var expected = Outcome(whole);

        var actual = CutRun.Resume(config, federated, 2, Outcome);
        Assert.Equal(expected.Model, actual.Model);
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(expected.Personal[k], actual.Personal[k]);
        }
        Assert.Equal(expected.Accuracy, actual.Accuracy);
    }

    [Fact]
    public void APersonalPartWithAnUpdateThatIsNotModelSizedIsAnErrorNamingTheKey()
    {
        var config = TestExperiments.Config("model=logreg", "algorithm.name=fedper", "algorithm.personal=fc.bias", "compression.uplink.name=powersgd",
            "partition.clients=2", "clients_per_round=2", "rounds=1");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(40, 20), config);
        var e = Assert.Throws<ConfigException>(() => new FederatedRun(Experiment.From(config), data).Dispose());
        Assert.Contains("algorithm.personal", e.Message);
        Assert.Contains("fedper", e.Message);
    }

    private static float[] Personal(FederatedRun simulation, int client)
    {
        var values = new float[Classes];
        return simulation.States.TryRead(client, PersonalParameters.ClientState[PersonalParameters.StateName], values) ? values : [];
    }
}
