namespace Cohort.Federated.Components;

/// <summary>What a component is: the part of an experiment it fills.</summary>
public enum ComponentKind
{
    Algorithm,
    Compressor,
    Aggregator,
    PreAggregation,
    Attack,
    Stage,
    Partitioner,
    Model,
    Dataset,
}
