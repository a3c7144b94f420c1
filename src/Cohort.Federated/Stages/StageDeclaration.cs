using Cohort.Federated.Components;
using Cohort.Federated.Config;
using Cohort.Federated.State;

namespace Cohort.Federated.Stages;

/// <summary>What a client stage's factory reads: the config and the client-state store its state lives in.</summary>
public sealed record StageArgs(ExperimentConfig Config, IClientStateStore States);

/// <summary>A client stage's declaration: switched on by its own keys (its factory returns null when off), run in <see cref="ComponentDeclaration.Order"/> before uplink compression.</summary>
public sealed record StageDeclaration(string Name, string Doc, Func<StageArgs, IUpdateStage?> Create)
    : ComponentDeclaration<StageArgs, IUpdateStage?>(ComponentKind.Stage, Name, Doc, Create);
