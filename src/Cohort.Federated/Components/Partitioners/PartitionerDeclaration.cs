using Cohort.Data.Partitioning;
using Cohort.Federated.Config;

namespace Cohort.Federated.Components.Partitioners;

/// <summary>A partitioner's declaration (partition.kind); the partitioners live in Cohort.Data, which knows no config keys.</summary>
public sealed record PartitionerDeclaration(string Name, string Doc, Func<ExperimentConfig, IPartitioner> Create)
    : ComponentDeclaration<ExperimentConfig, IPartitioner>(ComponentKind.Partitioner, Name, Doc, Create);
