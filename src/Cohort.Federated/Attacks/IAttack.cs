namespace Cohort.Federated.Attacks;

/// <summary>
/// What Byzantine clients send. Each Byzantine client first computes its update as an honest one
/// would (on flipped labels for label flipping); <see cref="Craft"/> then replaces it, seeing the
/// round's honest updates (omniscient attacks) in a canonical order.
/// </summary>
public interface IAttack
{
    string Name { get; }

    /// <summary>Whether Byzantine clients train on labels mapped y → classes − 1 − y.</summary>
    bool FlipsLabels => false;

    /// <summary>Overwrites <paramref name="own"/> (the client's honest update) with what it sends.</summary>
    void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own);
}

/// <summary>The round, the client and the Byzantine count an attack may use (and its random stream's ids).</summary>
public readonly record struct AttackContext(int Round, int Client, ulong Seed, int Byzantine, int CohortSize);
