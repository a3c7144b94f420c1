namespace Cohort.Federated.Leakage;

/// <summary>The gradient-leakage attacks by name.</summary>
internal static class LeakageAttacks
{
    public static IReadOnlyList<LeakageAttackDeclaration> All { get; } =
        [AnalyticAttack.Declaration, IdlgAttack.Declaration, DlgAttack.Declaration, InvertingAttack.Declaration];

    public static IGradientAttack Create(string name, LeakageSettings settings) =>
        All.FirstOrDefault(d => d.Name == name)?.Create(settings)
        ?? throw new ArgumentException($"Unknown attack '{name}'; the attacks are: {string.Join(", ", All.Select(d => d.Name))}.");
}
