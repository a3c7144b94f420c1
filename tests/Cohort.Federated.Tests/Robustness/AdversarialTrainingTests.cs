using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.NN.Adversarial;

namespace Cohort.Federated.Tests.Robustness;

public class AdversarialTrainingTests
{
    [Fact]
    public void FgsmTrainedClientsGiveAMoreRobustModel()
    {
        var data = TestExperiments.MnistSubset(2000, 500);
        (double Clean, double Robust) Train(string adversarial)
        {
            var config = TestExperiments.Config("model=logreg", "partition.clients=5", "clients_per_round=5", "rounds=3", "client.epochs=1",
                "client.lr=0.1", "seed=6", "eval.clients=false", $"client.adversarial={adversarial}", "client.adversarial_eps=0.1");
            var federated = TestExperiments.Partitioned(data, config);
            using var simulation = new FederatedRun(Experiment.From(config), federated);
            double clean = simulation.Run().FinalTestAccuracy;
            return (clean, RobustAccuracy.Evaluate(simulation.ExportModel(), federated.Test, PerturbationOptions.Fgsm(0.1), seed: 1));
        }
        var plain = Train("none");
        var hardened = Train("fgsm");
        Assert.True(plain.Robust < plain.Clean - 0.2, $"FGSM should hurt a plain model: clean {plain.Clean}, robust {plain.Robust}");
        Assert.True(hardened.Robust > plain.Robust + 0.1, $"adversarial training: robust {hardened.Robust} vs plain {plain.Robust}");
        Assert.True(hardened.Clean > 0.6, $"clean accuracy after adversarial training {hardened.Clean}");
    }

    [Theory]
    [InlineData("fedprox")]
    [InlineData("scaffold")]
    public void EveryMethodsLocalStepsTrainOnThePerturbedBatchesTheSameForAnyThreadCount(string method)
    {
        var data = TestExperiments.MnistSubset(500, 200);
        float[] Train(string adversarial, int threads)
        {
            var config = TestExperiments.Config("model=logreg", "partition.clients=4", "clients_per_round=4", "rounds=2", "client.lr=0.1", "eval.clients=false",
                $"algorithm.name={method}", $"client.adversarial={adversarial}", "client.adversarial_eps=0.1", $"threads={threads}");
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            simulation.Run();
            return simulation.Server.Global.ToArray();
        }
        var hardened = Train("fgsm", 1);
        Assert.NotEqual(Train("none", 1), hardened);
        Assert.Equal(hardened, Train("fgsm", 2));
    }

    [Fact]
    public void ZeroRadiusLeavesAccuracyUnchanged()
    {
        var data = TestExperiments.MnistSubset(500, 200);
        var config = TestExperiments.Config("model=logreg", "partition.clients=2", "clients_per_round=2", "rounds=1", "client.lr=0.1", "eval.clients=false");
        var federated = TestExperiments.Partitioned(data, config);
        using var simulation = new FederatedRun(Experiment.From(config), federated);
        double clean = simulation.Run().FinalTestAccuracy;
        Assert.Equal(clean, RobustAccuracy.Evaluate(simulation.ExportModel(), federated.Test, PerturbationOptions.Fgsm(0), seed: 1), 12);
    }
}
