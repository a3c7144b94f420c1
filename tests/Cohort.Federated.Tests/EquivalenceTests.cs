using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.NN.Zoo;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests;

/// <summary>FedAvg and FedSGD reduce to plain SGD in the settings where theory says they must.</summary>
public class EquivalenceTests
{
    private const float Lr = 0.1f;

    [Fact]
    public void FedAvgWithOneClientEqualsCentralizedSgd()
    {
        var data = TestExperiments.MnistSubset(200, 50);
        var config = TestExperiments.Config("model=mlp", "partition.clients=1", "clients_per_round=1", "rounds=2", "client.epochs=2", "client.batch_size=16", $"client.lr={Lr}", "threads=1", "eval.clients=false");
        var fed = Run(config, data);

        // The reference: the same mini-batches, drawn as the client draws them, through a plain trainer.
        var model = ModelZoo.Create("mlp", 0);
        var trainer = new Trainer(model, new Sgd(Lr), 16);
        int[] indices = Enumerable.Range(0, 200).ToArray();
        var inputs = new float[16 * 784];
        var labels = new int[16];
        for (int round = 1; round <= 2; round++)
        {
            var random = RandomStream.Create(0, RandomStream.Purpose("shuffle"), round, 0);
            for (int epoch = 0; epoch < 2; epoch++)
            {
                var order = (int[])indices.Clone();
                random.Shuffle(order.AsSpan());
                for (int start = 0; start < order.Length; start += 16)
                {
                    int size = Math.Min(16, order.Length - start);
                    data.Train.CopySamples(order.AsSpan(start, size), inputs, labels);
                    trainer.Step(inputs.AsSpan(0, size * 784), labels.AsSpan(0, size));
                }
            }
        }
        AssertClose(model.Parameters, fed, 1e-5);
    }

    [Fact]
    public void OneLocalStepOnIdenticalClientsEqualsMiniBatchSgdOverAllTheirBatches()
    {
        const int clients = 4, batch = 8;
        // Every client holds the same 40 samples.
        var source = TestExperiments.MnistSubset(40, 20);
        var replicated = Enumerable.Range(0, clients).SelectMany(_ => Enumerable.Range(0, 40)).ToArray();
        var train = source.Train.Subset(replicated);
        var parts = Enumerable.Range(0, clients).Select(k => Enumerable.Range(k * 40, 40).ToArray()).ToArray();
        var data = new FederatedData(new TrainTest(train, source.Test), new Partition(parts, Enumerable.Range(0, clients).Select(_ => Array.Empty<int>()).ToArray()));
        var config = TestExperiments.Config("model=logreg", $"partition.clients={clients}", $"clients_per_round={clients}", "rounds=1", "client.steps=1", $"client.batch_size={batch}", $"client.lr={Lr}", "threads=2", "eval.clients=false");
        var fed = Run(config, data);

        // The reference: one SGD step on the union of the clients' first batches (n·B samples).
        var model = ModelZoo.Create("logreg", 0);
        var trainer = new Trainer(model, new Sgd(Lr), clients * batch);
        var union = new List<int>();
        for (int k = 0; k < clients; k++)
        {
            var order = (int[])parts[k].Clone();
            var random = RandomStream.Create(0, RandomStream.Purpose("shuffle"), 1, k);
            random.Shuffle(order.AsSpan());
            union.AddRange(order.Take(batch));
        }
        var inputs = new float[union.Count * 784];
        var labels = new int[union.Count];
        train.CopySamples(union.ToArray(), inputs, labels);
        trainer.Step(inputs, labels);
        AssertClose(model.Parameters, fed, 1e-5);
    }

    [Fact]
    public void FedSgdWithAllClientsEqualsFullBatchGradientDescent()
    {
        var data = TestExperiments.MnistSubset(300, 50);
        var config = TestExperiments.Config("model=logreg", "algorithm.name=fedsgd", "partition.kind=quantity", "partition.clients=5", "clients_per_round=5", "rounds=3", $"client.lr={Lr}", "client.batch_size=32", "threads=2", "eval.clients=false");
        var fed = Run(config, data);

        var model = ModelZoo.Create("logreg", 0);
        var trainer = new Trainer(model, new Sgd(Lr), 300);
        var inputs = new float[300 * 784];
        var labels = new int[300];
        data.Train.CopySamples(Enumerable.Range(0, 300).ToArray(), inputs, labels);
        for (int round = 0; round < 3; round++)
        {
            trainer.Step(inputs, labels);
        }
        AssertClose(model.Parameters, fed, 1e-5);
    }

    private static float[] Run(ExperimentConfig config, TrainTest data) => Run(config, TestExperiments.Partitioned(data, config));

    private static float[] Run(ExperimentConfig config, FederatedData data)
    {
        using var simulation = new FederatedRun(Experiment.From(config), data);
        simulation.Run();
        return simulation.Server.Global;
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff += Math.Pow(expected[i] - actual[i], 2);
            norm += Math.Pow(expected[i], 2);
        }
        double relative = Math.Sqrt(diff / norm);
        Assert.True(relative < tolerance, $"relative difference {relative:G3}");
        // And the models really moved: the comparison is not between two untouched initialisations.
        Assert.NotEqual(ModelZoo.Create("logreg", 0).Parameters.Length == expected.Length ? ModelZoo.Create("logreg", 0).Parameters : ModelZoo.Create("mlp", 0).Parameters, actual);
    }
}
