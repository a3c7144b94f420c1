using Cohort.Federated.Aggregation;
using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Federated.Attacks;

/// <summary>What an attack's factory reads: the config, and the server's aggregator (which searching attacks rehearse).</summary>
public sealed record AttackArgs(ExperimentConfig Config, IAggregator Aggregator);

/// <summary>An attack's declaration (attack.name); its factory returns null for none.</summary>
public sealed record AttackDeclaration(string Name, string Doc, Func<AttackArgs, IAttack?> Create)
    : ComponentDeclaration<AttackArgs, IAttack?>(ComponentKind.Attack, Name, Doc, Create);
