using Cohort.Federated.Stages;
using Cohort.Privacy;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>
/// DP as the DP stages apply it: the gradient clipped to L2 norm C and N(0, (zC)²) added to every coordinate
/// (<see cref="GaussianNoise"/>); one release of a Gaussian mechanism of multiplier z for the client.
/// </summary>
internal sealed class DpDefence(double clip, double noiseMultiplier) : IGradientDefence
{
    public const string Name = "dp";

    public double Clip { get; } = clip;

    public double NoiseMultiplier { get; } = noiseMultiplier;

    public string Title => Name;

    public void Apply(Span<float> gradient, ref RandomStream random)
    {
        NormClippingStage.Clip(gradient, Clip);
        GaussianNoise.AddScaled(ref random, gradient, (float)(NoiseMultiplier * Clip), 1f);
    }

    /// <summary>C, z, and the one release's ε at δ (RDP accountant; ∞ without noise).</summary>
    public IReadOnlyList<(string Key, double Value)> Fields(double delta)
    {
        double epsilon = NoiseMultiplier == 0 ? double.PositiveInfinity
            : new Accountant().Epsilon(new SampledGaussian(1, NoiseMultiplier, 1), delta).Epsilon;
        return [("clip", Clip), ("noise_multiplier", NoiseMultiplier), ("epsilon", epsilon), ("delta", delta)];
    }
}
