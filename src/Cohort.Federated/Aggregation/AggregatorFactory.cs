using Cohort.Federated.Aggregation.Robust;
using Cohort.Federated.Components;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Aggregation;

/// <summary>Builds the aggregator aggregator.name selects, with the pre-aggregation rules switched on, by their declarations (norm clipping, aggregator.clip, is a stage: <see cref="Stages.NormClippingStage"/>).</summary>
internal static class AggregatorFactory
{
    /// <summary>The aggregator for cohorts of <paramref name="cohort"/> of the <paramref name="clients"/>; clipping rules report to <paramref name="clipping"/>.</summary>
    public static IAggregator Create(ExperimentConfig config, int clients, int cohort, ClippingMeter? clipping = null)
    {
        int f = ByzantineTolerance.F(config, clients, cohort);
        ByzantineTolerance.Check(config, cohort, f);
        var steps = ComponentRegistry.Of(ComponentKind.PreAggregation).Cast<ComponentDeclaration<PreAggregationArgs, IPreAggregation?>>()
            .Select(d => d.Create(new PreAggregationArgs(config, f))).OfType<IPreAggregation>().ToList();
        return ComponentRegistry.Selected<AggregatorArgs, IAggregator>(config, ComponentKind.Aggregator).Create(new AggregatorArgs(config, f, steps, clipping));
    }
}
