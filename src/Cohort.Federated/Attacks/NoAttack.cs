namespace Cohort.Federated.Attacks;

/// <summary>No simulated attack: every client is honest.</summary>
internal static class NoAttack
{
    public static AttackDeclaration Declaration { get; } = new("none", "no attack: every client is honest", _ => null);
}
