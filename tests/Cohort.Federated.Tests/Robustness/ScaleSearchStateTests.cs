using Cohort.Federated.Aggregation.Robust;
using Cohort.Federated.Attacks;

namespace Cohort.Federated.Tests.Robustness;

/// <summary>ALIE-opt and IPM-opt search against the server's own defence, in the state it will aggregate with.</summary>
public class ScaleSearchStateTests
{
    private static readonly float[][] Honest = [[1, 0], [0.9f, 0], [1.1f, 0], [0.8f, 0.1f], [1.2f, 0], [1, 0.2f]];

    [Fact]
    public void IpmOptAgainstZenoUsesTheServersScoringLoss()
    {
        // A flat batch loss: Zeno's score is −ρ‖Δ/γ‖², so it keeps the n − f = 6 shortest of 9 updates.
        // The honest norms are 0.806, 0.9, 1, 1.02, 1.1, 1.2 and the mean m = (1, 0.05), ‖m‖ = 1.00125.
        // IPM sends −s·m three times: s = 1 (norm 1.00125) still ranks among the six shortest and drags
        // the aggregate furthest; s ≥ 2 is dropped and leaves the honest mean. So the search takes s = 1.
        var zeno = new Zeno(f: 3, rho: 0.0005, gamma: 0.1) { Global = [0, 0], Loss = _ => 0 };
        var attack = new ScaleSearchAttack(alie: false, zeno);
        var sent = new float[2];
        attack.Craft(new AttackContext(1, 0, 0, 3, 9), Honest, sent);
        Assert.Equal(1, attack.ChosenScale);
        Assert.Equal(-1f, sent[0], 1e-6);
        Assert.Equal(-0.05f, sent[1], 1e-6);
    }

    [Fact]
    public void AlieOptAgainstCenteredClippingStartsFromTheServersCenterAndLeavesItAlone()
    {
        float[] center = [0, 1];
        var defence = new CenteredClipping(tau: 0.3, iterations: 1) { Center = (float[])center.Clone() };
        var attack = new ScaleSearchAttack(alie: false, defence);
        var sent = new float[2];
        attack.Craft(new AttackContext(2, 0, 0, 3, 9), Honest, sent);

        // What the real defence, from its center, makes of each candidate: the search's choice maximises it.
        double Damage(double scale, float[] from)
        {
            var rule = new CenteredClipping(tau: 0.3, iterations: 1) { Center = (float[])from.Clone() };
            var candidate = new float[2];
            new InnerProductManipulation(scale).Craft(default, Honest, candidate);
            rule.Begin(2);
            foreach (var h in Honest)
            {
                rule.Add(h, 1);
            }
            for (int b = 0; b < 3; b++)
            {
                rule.Add(candidate, 1);
            }
            var result = new float[2];
            rule.Complete(result);
            return Math.Pow(result[0] - 1, 2) + Math.Pow(result[1] - 0.05, 2);
        }
        double best = ScaleSearchAttack.Scales.Max(s => Damage(s, center));
        Assert.Equal(best, Damage(attack.ChosenScale, center));
        // From the center (0, 1) the clipped direction of −s·m − v keeps turning with s: the largest scale wins.
        Assert.Equal(100, attack.ChosenScale);
        // From zeros (a fresh aggregator) every s ≥ 0.5 is clipped to the same −τ·m/‖m‖, so a search on a
        // fresh copy stops at 0.5, which against the real center does far less damage.
        Assert.Equal(Damage(0.5, [0, 0]), Damage(100, [0, 0]), 1e-6);
        Assert.True(Damage(0.5, center) < best - 0.1, $"{Damage(0.5, center)} vs {best}");
        // The rehearsals did not move the server's center.
        Assert.Equal(center, defence.Center);
    }
}
