using Cohort.Federated.Aggregation.Robust;
using Cohort.Federated.Components;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Aggregation;

/// <summary>What an aggregator's factory reads: the config, the tolerated Byzantine updates f, the pre-aggregation rules switched on, and where clipping reports.</summary>
public sealed record AggregatorArgs(ExperimentConfig Config, int F, IReadOnlyList<IPreAggregation> PreAggregation, ClippingMeter? Clipping);

/// <summary>An aggregator's declaration (aggregator.name).</summary>
public sealed record AggregatorDeclaration(string Name, string Doc, Func<AggregatorArgs, IAggregator> Create)
    : ComponentDeclaration<AggregatorArgs, IAggregator>(ComponentKind.Aggregator, Name, Doc, Create);

/// <summary>What a pre-aggregation rule's factory reads: the config and the tolerated Byzantine updates f.</summary>
public sealed record PreAggregationArgs(ExperimentConfig Config, int F);

/// <summary>A pre-aggregation rule's declaration: switched on by its own key (its factory returns null when off), run in <see cref="ComponentDeclaration.Order"/>.</summary>
public sealed record PreAggregationDeclaration(string Name, string Doc, Func<PreAggregationArgs, IPreAggregation?> Create)
    : ComponentDeclaration<PreAggregationArgs, IPreAggregation?>(ComponentKind.PreAggregation, Name, Doc, Create);
