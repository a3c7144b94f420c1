using Cohort.Tensors.Random;

namespace Cohort.Federated.Leakage;

/// <summary>What a client does to its gradient before it leaves, against leakage (the command's --defence).</summary>
internal interface IGradientDefence
{
    /// <summary>The defences' names, as --defence takes them.</summary>
    static IReadOnlyList<string> Names { get; } = [NoDefence.Name, DpDefence.Name, TopKDefence.Name];

    /// <summary>The name it is chosen by.</summary>
    string Title { get; }

    void Apply(Span<float> gradient, ref RandomStream random);

    /// <summary>The defence's settings and guarantee, reported after its name; <paramref name="delta"/> is the δ a DP guarantee is stated at.</summary>
    IReadOnlyList<(string Key, double Value)> Fields(double delta);
}
