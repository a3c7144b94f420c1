using System.Globalization;
using Cohort.Federated.Stages;
using Cohort.NN.Training;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>
/// What a client does to its gradient before it leaves, against leakage: nothing; DP (clip to L2 norm C and
/// add N(0, (zC)²) to every coordinate, as the DP stages do); or top-k sparsification (only the fraction of
/// largest magnitudes sent, as the top-k compressor selects them).
/// </summary>
internal sealed record GradientDefence(string Name, double Clip = 0, double NoiseMultiplier = 0, double Fraction = 1)
{
    public static readonly string[] Names = ["none", "dp", "topk"];

    public static GradientDefence None { get; } = new("none");

    public static GradientDefence Dp(double clip, double noiseMultiplier) => new("dp", clip, noiseMultiplier);

    public static GradientDefence TopK(double fraction) => new("topk", Fraction: fraction);

    public void Apply(Span<float> gradient, ref RandomStream random)
    {
        if (Name == "dp")
        {
            NormClippingStage.Clip(gradient, Clip);
            DpSgdStep.AddNoise(gradient, NoiseMultiplier * Clip, ref random);
        }
        else if (Name == "topk")
        {
            var kept = new int[Math.Max(1, (int)Math.Round(Fraction * gradient.Length))];
            Compression.TopK.Select(gradient, kept);
            var sparse = new float[gradient.Length];
            foreach (int i in kept)
            {
                sparse[i] = gradient[i];
            }
            sparse.CopyTo(gradient);
        }
    }

    /// <summary>The defence's JSON fields after its name.</summary>
    public string JsonFields() => Name switch
    {
        "dp" => string.Create(CultureInfo.InvariantCulture, $",\"clip\":{Clip:R},\"noise_multiplier\":{NoiseMultiplier:R}"),
        "topk" => string.Create(CultureInfo.InvariantCulture, $",\"topk_fraction\":{Fraction:R}"),
        _ => "",
    };
}
