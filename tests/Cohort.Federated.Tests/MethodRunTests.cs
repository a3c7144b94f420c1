using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests;

/// <summary>Every method trains a small MNIST model end to end, with its diagnostics, and gives the same bits on one or two threads.</summary>
public class MethodRunTests
{
    [Theory]
    [InlineData("fedprox")]
    [InlineData("scaffold")]
    [InlineData("fedavgm")]
    [InlineData("fedadagrad")]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    [InlineData("mimelite")]
    [InlineData("mime")]
    [InlineData("fednova")]
    [InlineData("feddyn")]
    [InlineData("qffl")]
    public void MethodLearnsWithDefaultsAndIsDeterministic(string name)
    {
        var data = TestExperiments.MnistSubset(1000, 300);
        (double Accuracy, float[] Model, Metrics.RoundMetrics Last) Run(int threads)
        {
            var config = TestExperiments.Config("model=logreg", $"algorithm.name={name}", "partition.kind=dirichlet", "partition.clients=10", "clients_per_round=5",
                "rounds=3", "client.batch_size=20", "client.lr=0.1", "client.tau.distribution=uniform", "client.tau.min=5", "client.tau.max=15",
                $"threads={threads}", "eval.clients=false", "diagnostics.clients=4");
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            var summary = simulation.Run();
            return (summary.FinalTestAccuracy, simulation.Server.Global.ToArray(), simulation.History[^1]);
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Model, two.Model);
        Assert.True(one.Accuracy > 0.4, $"{name}: accuracy {one.Accuracy}");
        foreach (string field in new[] { "zeta2", "sigma2", "drift", "update_norm", "aggregate_norm" })
        {
            Assert.True(one.Last.Extra[field] > 0 && double.IsFinite(one.Last.Extra[field]), $"{field} = {one.Last.Extra[field]}");
            Assert.Equal(one.Last.Extra[field], two.Last.Extra[field]);
        }
    }

    [Fact]
    public void SpillingClientStateToDiskChangesNoBit()
    {
        var data = TestExperiments.MnistSubset(600, 100);
        float[] Run(string memory)
        {
            var config = TestExperiments.Config("model=logreg", "algorithm.name=scaffold", "partition.clients=12", "clients_per_round=6", "rounds=4",
                "client.steps=5", "threads=2", "eval.every=4", "eval.clients=false", "diagnostics.enabled=false", $"client_state.memory_mb={memory}");
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            simulation.Run();
            var store = Assert.IsType<State.SpillingStateStore>(simulation.States);
            Assert.Equal(memory == "0", store.SpilledCount > 0);
            return simulation.Server.Global.ToArray();
        }
        Assert.Equal(Run("1024"), Run("0"));
    }
}
