using Cohort.Federated.Aggregation.Robust;

namespace Cohort.Federated.Tests.Robustness;

/// <summary>Zeno's stochastic descendant score, f_r(x) − f_r(x − γg) − ρ‖g‖², with g = −Δ/γ for a client's delta Δ.</summary>
public class ZenoScoreTests
{
    private static double Loss(float[] x) => (double)x[0] * x[0] + (double)x[1] * x[1];

    [Fact]
    public void ScoreOfADeltaIsThePapersScoreOfItsGradient()
    {
        // x = (1, 1), γ = 0.1, ρ = 0.0005, Δ = (−0.2, 0): g = −Δ/γ = (2, 0), x − γg = (0.8, 1).
        // f_r(x) = 2, f_r(0.8, 1) = 1.64, ρ‖g‖² = 0.0005 × 4 = 0.002: score = 2 − 1.64 − 0.002 = 0.358.
        var zeno = new Zeno(f: 1, rho: 0.0005, gamma: 0.1) { Global = [1, 1], Loss = Loss };
        Assert.Equal(0.358, zeno.Score([-0.2f, 0]), 1e-7);
    }

    [Fact]
    public void TheNormPenaltyIsOnTheGradientNotTheDelta()
    {
        // ρ = 0.01, γ = 0.1: the penalty is ‖Δ‖² (ρ/γ² = 1). From x = (1, 1):
        // Δ₁ = (−0.2, 0): 2 − 1.64 − 0.04 = 0.32.  Δ₂ = (−1, −1): 2 − 0 − 2 = 0.
        // Zeno with f = 1 keeps Δ₁; a penalty of ρ‖Δ‖² (1.98 for Δ₂) would have kept Δ₂.
        var zeno = new Zeno(f: 1, rho: 0.01, gamma: 0.1) { Global = [1, 1], Loss = Loss };
        Assert.Equal(0.32, zeno.Score([-0.2f, 0]), 1e-7);
        Assert.Equal(0, zeno.Score([-1, -1]), 1e-7);
        zeno.Begin(2);
        zeno.Add([-0.2f, 0], 1);
        zeno.Add([-1, -1], 1);
        var result = new float[2];
        zeno.Complete(result);
        Assert.Equal([-0.2f, 0f], result);
    }
}
