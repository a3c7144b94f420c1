using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.Federated.Personal;
using static Cohort.Federated.Tests.Personal.LogisticByHand;

namespace Cohort.Federated.Tests.Personal;

/// <summary>FedRep, LG-FedAvg and FedAvg + fine-tuning against rounds computed by hand on logistic regression (fc.weight the body, fc.bias the head).</summary>
public class PersonalMethodsTests
{
    private static readonly string[] Common =
        ["model=logreg", "partition.clients=2", "clients_per_round=2", "client.batch_size=64", "client.lr=0.5", "eval.clients=false", "diagnostics.enabled=false"];

    private static (FederatedRun Run, FederatedData Data, float[] Weights, float[] Bias) Start(params string[] settings)
    {
        var config = TestExperiments.Config([.. Common, .. settings]);
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(40, 20), config);
        var run = new FederatedRun(Experiment.From(config), data);
        var initial = run.Server.Global.ToArray();
        int weights = Classes * data.Train.SampleSize;
        return (run, data, initial[..weights], initial[weights..]);
    }

    private static float[] Kept(FederatedRun run, int client, int length)
    {
        var values = new float[length];
        Assert.True(run.States.TryRead(client, PersonalParameters.ClientState[PersonalParameters.StateName], values));
        return values;
    }

    [Fact]
    public void FedRepTrainsTheHeadWithTheBodyFrozenThenTheBodyWithTheHeadFrozen()
    {
        // One head epoch (one full batch of 20) and one body step a round, two rounds.
        var (run, data, w, b0) = Start("algorithm.name=fedrep", "algorithm.personal=fc.bias", "algorithm.head_epochs=1", "rounds=2", "client.steps=1");
        using var _ = run;
        float[][] head = [b0, b0];
        for (int round = 0; round < 2; round++)
        {
            var bodies = new float[2][];
            for (int k = 0; k < 2; k++)
            {
                head[k] = SgdStep(data, k, w, head[k], 0.5f).B;
                bodies[k] = SgdStep(data, k, w, head[k], 0.5f).W;
            }
            w = WeightedMean(data, bodies);
        }
        run.Run();
        var server = run.Server.Global;
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(w[i], server[i], 1e-5f);
        }
        Assert.Equal(b0, server[w.Length..].ToArray());
        for (int k = 0; k < 2; k++)
        {
            var kept = Kept(run, k, Classes);
            for (int c = 0; c < Classes; c++)
            {
                Assert.Equal(head[k][c], kept[c], 1e-5f);
            }
        }
    }

    [Fact]
    public void LgFedAvgKeepsTheRepresentationAndFederatesTheHead()
    {
        var (run, data, w0, b) = Start("algorithm.name=lgfedavg", "algorithm.personal=fc.weight", "rounds=2", "client.steps=1");
        using var _ = run;
        float[][] body = [w0, w0];
        for (int round = 0; round < 2; round++)
        {
            var heads = new float[2][];
            for (int k = 0; k < 2; k++)
            {
                (body[k], heads[k]) = SgdStep(data, k, body[k], b, 0.5f);
            }
            b = WeightedMean(data, heads);
        }
        run.Run();
        var server = run.Server.Global;
        Assert.Equal(w0, server[..w0.Length].ToArray());
        for (int c = 0; c < Classes; c++)
        {
            Assert.Equal(b[c], server[w0.Length + c], 1e-5f);
        }
        for (int k = 0; k < 2; k++)
        {
            var kept = Kept(run, k, w0.Length);
            for (int i = 0; i < w0.Length; i += 97)
            {
                Assert.Equal(body[k][i], kept[i], 1e-5f);
            }
        }
    }

    [Theory]
    [InlineData("algorithm.name=finetune", "algorithm.steps=1", "algorithm.personal=fc.bias", "algorithm.lr=0.25")]
    [InlineData("algorithm.name=fedavg", "eval.finetune.steps=1", "eval.finetune.personal=fc.bias", "eval.finetune.lr=0.25")]
    public void FineTuningAtEvaluationScoresTheGlobalModelAfterLocalStepsOnTheNamedParameters(string method, string steps, string personal, string lr)
    {
        // One FedAvg round, then each client one step on its bias alone at rate 0.25 before it is scored.
        var (run, data, w0, b0) = Start(method, steps, personal, lr, "rounds=1", "client.steps=1");
        using var _ = run;
        var models = Enumerable.Range(0, 2).Select(k => SgdStep(data, k, w0, b0, 0.5f)).ToArray();
        var w = WeightedMean(data, [.. models.Select(m => m.W)]);
        var b = WeightedMean(data, [.. models.Select(m => m.B)]);
        var personalAccuracy = Enumerable.Range(0, 2).Select(k => Accuracy(data, k, w, SgdStep(data, k, w, b, 0.25f).B)).ToArray();
        var globalAccuracy = Enumerable.Range(0, 2).Select(k => Accuracy(data, k, w, b)).ToArray();

        run.Run();
        var metrics = run.History[^1].Extra;
        Assert.Equal(personalAccuracy.Average(), metrics["personal_accuracy_mean"], 1e-12);
        Assert.Equal(personalAccuracy.Min(), metrics["personal_accuracy_worst"], 1e-12);
        Assert.Equal(globalAccuracy.Average(), metrics["global_accuracy_mean"], 1e-12);
        // Fine-tuning is not kept: the server's model is FedAvg's.
        Assert.Equal(w[0], run.Server.Global[0], 1e-5f);
    }

    [Fact]
    public void FineTuningTwiceIsAnErrorNamingTheKeys()
    {
        var e = Assert.Throws<ConfigException>(() => Start("algorithm.name=finetune", "eval.finetune.steps=2", "rounds=1").Run.Dispose());
        Assert.Contains("eval.finetune", e.Message);
        Assert.Contains("finetune", e.Message);
    }

    [Fact]
    public void TheHeadAndBodySelectionsSplitTheModelAtItsLastLayer()
    {
        var model = Cohort.NN.Zoo.ModelZoo.Create("mlp", 0, Cohort.NN.Zoo.ModelOptions.Mnist);
        var head = PersonalParameters.Of([PersonalParameters.Head], model, "algorithm.personal");
        var body = PersonalParameters.Of([PersonalParameters.Body], model, "algorithm.personal");
        // mlp: fc1 (784·200 + 200), fc2 (200·200 + 200), fc3 (200·10 weights, 10 biases), the head.
        int bodyLength = 784 * 200 + 200 + 200 * 200 + 200;
        Assert.Equal(200 * 10 + 10, head.Length);
        Assert.Equal([(bodyLength, 2000), (bodyLength + 2000, 10)], head.Ranges);
        Assert.Equal(bodyLength, body.Length);
        Assert.Equal(body.Ranges.Sum(r => r.Length), head.Complement(model.ParameterCount).Sum(r => r.Length));
    }
}
