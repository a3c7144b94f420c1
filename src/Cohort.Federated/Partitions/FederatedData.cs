using Cohort.Data;
using Cohort.Data.Fetch;
using Cohort.Data.Formats;
using Cohort.Data.Partitioning;
using Cohort.Federated.Components;
using Cohort.Federated.Components.Datasets;
using Cohort.Federated.Config;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Partitions;

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
        return new FederatedData(data, Split(data, c));
    }

    /// <summary>
    /// The partition partition.* gives <paramref name="data"/>: the partitioner's training and test splits,
    /// then each client's validation split (partition.validation of its training samples, never trained on).
    /// </summary>
    public static Partition Split(TrainTest data, ExperimentConfig c)
    {
        ulong seed = (ulong)c.GetInt("seed");
        var partition = Partitioner.Apply(CreatePartitioner(c), data, c.GetInt("partition.clients"), seed);
        return ValidationSplit.Apply(partition, c.GetDouble(ValidationKey), seed);
    }

    /// <summary>The fraction of each client's training samples held out as its validation split.</summary>
    public const string ValidationKey = "partition.validation";

    /// <summary>Each client's validation split (indices into <see cref="Train"/>), or none when partition.validation is 0.</summary>
    public bool HasValidation => Partition.Validation.Length > 0;

    /// <summary>The train and test splits of the data set dataset.name selects, by its declaration.</summary>
    public static TrainTest LoadSplits(ExperimentConfig c)
    {
        string root = c.GetOptional("dataset.root") ?? DataCache.Folder(c.Get("dataset.name"));
        return ComponentRegistry.Selected<DatasetArgs, TrainTest>(c, ComponentKind.Dataset).Create(new DatasetArgs(c, root, (ulong)c.GetInt("seed")));
    }

    /// <summary>The partitioner partition.kind selects, by its declaration.</summary>
    public static IPartitioner CreatePartitioner(ExperimentConfig c) =>
        ComponentRegistry.Selected<ExperimentConfig, IPartitioner>(c, ComponentKind.Partitioner).Create(c);
}
