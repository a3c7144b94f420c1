using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>The gradient leaves as it is.</summary>
internal sealed class NoDefence : IGradientDefence
{
    public const string Name = "none";

    public string Title => Name;

    public void Apply(Span<float> gradient, ref RandomStream random)
    {
    }

    public IReadOnlyList<(string Key, double Value)> Fields(double delta) => [];
}
