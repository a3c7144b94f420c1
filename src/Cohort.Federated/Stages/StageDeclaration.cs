using Cohort.Federated.Components;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.State;

namespace Cohort.Federated.Stages;

/// <summary>What a stage's factory reads: the config, the client-state store its client state lives in, the model's segments, and the meter clipping stages report to.</summary>
public sealed record StageArgs(ExperimentConfig Config, IClientStateStore States, Segments Segments, ClippingMeter Clipping)
{
    /// <summary>The run's cohort sampler (a private run's accountant takes its rate from it); null where no run samples (a deployed client).</summary>
    internal Engine.CohortSampler? Sampler { get; init; }

    /// <summary>Each client's training-sample count, where the run knows it (a private run's per-client accounting).</summary>
    internal Func<int, int>? ClientSamples { get; init; }
}

/// <summary>
/// An update stage's declaration: switched on by its own keys (<paramref name="SwitchedOnBy"/>; its
/// factory returns no stages when off), placed by the experiment's <c>stages</c> list, or by
/// <see cref="ComponentDeclaration.Order"/> without it.
/// </summary>
public sealed record StageDeclaration(string Name, string Doc, string SwitchedOnBy, Func<StageArgs, IReadOnlyList<IUpdateStage>> Create)
    : ComponentDeclaration<StageArgs, IReadOnlyList<IUpdateStage>>(ComponentKind.Stage, Name, Doc, Create);
