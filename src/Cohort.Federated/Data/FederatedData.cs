using Cohort.Data;
using Cohort.Data.Fetch;
using Cohort.Data.Formats;
using Cohort.Data.Partitioning;
using Cohort.Federated.Config;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Data;

/// <summary>A data set split among clients: the pooled splits, each client's training and test indices, and the model geometry the data implies.</summary>
public sealed class FederatedData
{
    public FederatedData(TrainTest data, Partition partition)
    {
        Train = data.Train;
        Test = data.Test;
        Partition = partition;
    }

    public Dataset Train { get; }

    public Dataset Test { get; }

    public Partition Partition { get; }

    public int Clients => Partition.Clients;

    public int ClientTrainCount(int client) => Partition.Train[client].Length;

    /// <summary>Model options matching the data: image geometry and classes, or the text vocabulary.</summary>
    public ModelOptions ModelOptions
    {
        get
        {
            var s = Train.SampleShape;
            return s.Rank == 3
                ? new ModelOptions { Channels = s[0], Height = s[1], Width = s[2], Classes = Train.Classes }
                : s.Rank == 1 && Train.Classes == TextData.Vocabulary
                    ? new ModelOptions { Vocabulary = Train.Classes, SequenceLength = s[0], Classes = Train.Classes }
                    : new ModelOptions { Channels = 1, Height = 1, Width = s.Size, Classes = Train.Classes };
        }
    }

    /// <summary>Loads and partitions the data an experiment names.</summary>
    public static FederatedData Load(ExperimentConfig c)
    {
        var data = LoadSplits(c);
        var partitioner = CreatePartitioner(c);
        var partition = Partitioner.Apply(partitioner, data, c.GetInt("partition.clients"), (ulong)c.GetInt("seed"));
        return new FederatedData(data, partition);
    }

    public static TrainTest LoadSplits(ExperimentConfig c)
    {
        string name = c.Get("dataset.name");
        string root = c.GetOptional("dataset.root") ?? DataCache.Folder(name);
        ulong seed = (ulong)c.GetInt("seed");
        switch (name)
        {
            case "mnist":
            case "fashion-mnist":
                return ImageFolder.Load(root, name, c.GetBool("dataset.scale"));
            case "synthetic":
                return SyntheticData.Generate(c.GetDouble("dataset.alpha"), c.GetDouble("dataset.beta"), c.GetInt("partition.clients"), seed, c.GetBool("dataset.iid"));
            case "text":
                return TextData.Load(RequireRoot(c, root), c.GetDouble("dataset.test_fraction"), c.GetInt("dataset.stride"));
            case "csv":
                return LoadCsv(c, RequireRoot(c, root), seed);
            default:
                throw new ConfigException($"dataset.name: '{name}' has no loader.");
        }
    }

    public static IPartitioner CreatePartitioner(ExperimentConfig c) => c.Get("partition.kind") switch
    {
        "iid" => new IidPartitioner(),
        "dirichlet" => new DirichletPartitioner(c.GetOptionalDouble("partition.alpha") ?? 0.5),
        "shards" => new ShardPartitioner(c.GetInt("partition.shards_per_client")),
        "label-shards" => new LabelShardPartitioner(c.GetInt("partition.shards_per_client")),
        "quantity" => new QuantityPartitioner(c.Get("partition.distribution"), c.GetDouble("partition.sigma")),
        _ => new NaturalPartitioner(),
    };

    private static string RequireRoot(ExperimentConfig c, string root) =>
        c.GetOptional("dataset.root") ?? (Path.Exists(root) ? root : throw new ConfigException($"dataset.root is required for dataset.name {c.Get("dataset.name")}."));

    private static TrainTest LoadCsv(ExperimentConfig c, string path, ulong seed)
    {
        string label = c.Get("dataset.label");
        string? client = c.GetOptional("dataset.client");
        var train = CsvData.Load(path, label, client);
        if (c.GetOptional("dataset.test") is { } testPath)
        {
            var test = CsvData.Load(testPath, label, client, train.Classes);
            return new TrainTest(train, test);
        }
        // Hold out a random fraction (per natural client when there is one).
        var random = Tensors.Random.RandomStream.Create(seed, Tensors.Random.RandomStream.Purpose("csv-split"));
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order.AsSpan());
        int testCount = (int)Math.Round(train.Count * c.GetDouble("dataset.test_fraction"));
        var testIdx = order[..testCount].Order().ToArray();
        var trainIdx = order[testCount..].Order().ToArray();
        return new TrainTest(train.Subset(trainIdx), train.Subset(testIdx));
    }
}
