using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>Top-k sparsification: only the fraction of largest magnitudes is sent, as the top-k compressor selects them.</summary>
internal sealed class TopKDefence(double fraction) : IGradientDefence
{
    public const string Name = "topk";

    public double Fraction { get; } = fraction;

    public string Title => Name;

    public void Apply(Span<float> gradient, ref RandomStream random)
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

    public IReadOnlyList<(string Key, double Value)> Fields(double delta) => [("topk_fraction", Fraction)];
}
