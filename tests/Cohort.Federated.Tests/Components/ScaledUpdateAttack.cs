using Cohort.Federated.Attacks;
using Cohort.Federated.Config;

namespace Cohort.Federated.Tests.Components;

/// <summary>A component the library does not ship: Byzantine clients send their honest update times attack.factor.</summary>
public sealed class ScaledUpdateAttack(float factor) : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("scaled-update", "Byzantine clients send their honest update times a factor",
        a => new ScaledUpdateAttack((float)a.Config.GetDouble("attack.factor")))
    {
        Keys = [Key.Number("factor", "1", "scale of the update sent")],
    };

    public string Name => "scaled-update";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
        foreach (ref float value in own)
        {
            value *= factor;
        }
    }
}
