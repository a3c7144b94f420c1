// A federation through the library: our own model, our own in-memory client data, FedAvg.
// Run: dotnet run --project examples/LibraryQuickstart -c Release
using Cohort.Data;
using Cohort.Data.Partitioning;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;
using Cohort.Tensors.Random;

const int clients = 8, perClient = 200, features = 2, classes = 3;

// Each client's points come from three Gaussian blobs, with a label mix of its own.
var random = RandomStream.Create(42);
var x = new List<float>();
var y = new List<int>();
var owner = new List<int>();
for (int k = 0; k < clients; k++)
{
    for (int i = 0; i < perClient; i++)
    {
        int label = random.NextFloat() < 0.6f ? k % classes : random.NextInt(classes);
        x.Add(MathF.Cos(label * 2.1f) * 3 + random.NextNormal());
        x.Add(MathF.Sin(label * 2.1f) * 3 + random.NextNormal());
        y.Add(label);
        owner.Add(k);
    }
}
var all = new Dataset("blobs", [.. x], new Shape(features), [.. y], classes, [.. owner]);
var train = all.Subset(Enumerable.Range(0, all.Count).Where(i => i % 5 != 0).ToArray());
var test = all.Subset(Enumerable.Range(0, all.Count).Where(i => i % 5 == 0).ToArray());
var split = new TrainTest(train, test);
var data = new FederatedData(split, Partitioner.Apply(new NaturalPartitioner(), split, clients, seed: 1));

var config = new ExperimentConfig();
config.Set("dataset.name", "csv"); // in-memory tabular data; the loader is not used
config.Set("partition.clients", $"{clients}");
config.Set("clients_per_round", "4");
config.Set("rounds", "20");
config.Set("client.epochs", "2");
config.Set("client.lr", "0.1");
config.Set("threads", "2");

using var run = new FederatedRun(Experiment.From(config), data, createModel: () =>
{
    var builder = new ParameterBuilder();
    return new Model("tiny", new TinyNet(builder), builder, new Shape(features), seed: 7);
});
var summary = run.Run();
Console.WriteLine($"final accuracy {summary.FinalTestAccuracy:F3} after {summary.RoundsRun} rounds");
return summary.FinalTestAccuracy > 0.8 ? 0 : 1;

/// <summary>Our own model: 2 → 16 → 3 with tanh.</summary>
sealed class TinyNet(ParameterBuilder b) : Module
{
    private readonly Linear _hidden = new(b, "hidden", 2, 16);
    private readonly Linear _out = new(b, "out", 16, 3);

    public override Tensor Forward(Tape tape, Tensor input) => _out.Forward(tape, tape.Tanh(_hidden.Forward(tape, input)));
}
