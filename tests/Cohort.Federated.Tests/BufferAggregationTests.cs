using Cohort.Data.Partitioning;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.NN.Optimizers;
using Cohort.NN.Training;
using Cohort.Tensors;
using Tensor = Cohort.Tensors.Tensor;

namespace Cohort.Federated.Tests;

/// <summary>Batch-norm running statistics travel with the model: clients' buffers are averaged into the server's.</summary>
public class BufferAggregationTests
{
    private const int Samples = 40;

    [Theory]
    [InlineData("compression.uplink.name=none")]
    // PowerSGD's second exchange trains nothing: the statistics come from the first, where the local work is.
    [InlineData("compression.uplink.name=powersgd")]
    public void ServerBuffersAreTheMeanOfTheClientsRunningStatistics(string uplink)
    {
        const int clients = 3;
        // Each client holds its own samples and takes one step over all of them, so each ends with the
        // running statistics of one training-mode pass over its batch, and the clients' statistics differ.
        var source = TestExperiments.MnistSubset(clients * Samples, 10);
        var parts = Enumerable.Range(0, clients).Select(k => Enumerable.Range(k * Samples, Samples).ToArray()).ToArray();
        var data = new FederatedData(source, new Partition(parts, Enumerable.Range(0, clients).Select(_ => Array.Empty<int>()).ToArray()));
        var config = TestExperiments.Config($"partition.clients={clients}", $"clients_per_round={clients}", "rounds=1", "client.steps=1",
            $"client.batch_size={Samples}", "client.lr=0.1", "threads=2", "eval.clients=false", "aggregation.weighting=uniform", uplink);
        using var simulation = new FederatedRun(Experiment.From(config), data, createModel: CreateModel);
        var initial = (float[])simulation.Server.Buffers.Clone();
        simulation.Run();

        var mean = new double[initial.Length];
        foreach (var part in parts)
        {
            var reference = CreateModel();
            var inputs = new float[Samples * 784];
            var labels = new int[Samples];
            source.Train.CopySamples(part, inputs, labels);
            new Trainer(reference, new Sgd(0.1f), Samples).Step(inputs, labels);
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += reference.Buffers[i] / (double)clients;
            }
        }

        Assert.NotEqual(initial, simulation.Server.Buffers);
        Assert.Equal(mean.Length, simulation.Server.Buffers.Length);
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.Equal(mean[i], simulation.Server.Buffers[i], 1e-5);
        }
    }

    private static Model CreateModel()
    {
        var builder = new ParameterBuilder();
        return new Model("bn-logreg", new NormalizedLogReg(builder), builder, new Shape(1, 28, 28), seed: 3);
    }

    private sealed class NormalizedLogReg(ParameterBuilder b) : Module
    {
        private readonly BatchNorm2d _norm = new(b, "norm", 1);
        private readonly Linear _fc = new(b, "fc", 784, 10);

        public override Tensor Forward(Tape tape, Tensor x) => _fc.Forward(tape, tape.Flatten(_norm.Forward(tape, x)));
    }
}
