using Cohort.Data;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Datasets;

/// <summary>What a data set's loader reads: the config, the folder (or file) it is in, and the seed of its held-out split.</summary>
public sealed record DatasetArgs(ExperimentConfig Config, string Root, ulong Seed)
{
    /// <summary>The root, which must exist for loaders without a download: as set, else the cache folder when it is there.</summary>
    public string RequiredRoot => Config.GetOptional("dataset.root")
        ?? (Path.Exists(Root) ? Root : throw new ConfigException($"dataset.root is required for dataset.name {Config.Get("dataset.name")}."));
}

/// <summary>A data set's declaration (dataset.name); the loaders live in Cohort.Data, which knows no config keys.</summary>
public sealed record DatasetDeclaration(string Name, string Doc, Func<DatasetArgs, TrainTest> Create)
    : ComponentDeclaration<DatasetArgs, TrainTest>(ComponentKind.Dataset, Name, Doc, Create);
