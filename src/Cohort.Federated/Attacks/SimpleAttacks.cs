using Cohort.Tensors.Random;

namespace Cohort.Federated.Attacks;

/// <summary>Trains on flipped labels (y → classes − 1 − y) and sends that update unchanged.</summary>
public sealed class LabelFlip : IAttack
{
    public string Name => "label-flip";

    public bool FlipsLabels => true;

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
    }
}

/// <summary>Sends minus its own honest update.</summary>
public sealed class BitFlip : IAttack
{
    public string Name => "bit-flip";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
        foreach (ref float v in own)
        {
            v = -v;
        }
    }
}

/// <summary>Sends minus the mean of the honest updates.</summary>
public sealed class SignFlip : IAttack
{
    public string Name => "sign-flip";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) =>
        HonestStatistics.ScaledMean(honest, -1, own);
}

/// <summary>Sends Gaussian noise N(0, σ²) in every coordinate.</summary>
public sealed class GaussianNoise(double sigma) : IAttack
{
    public string Name => "gaussian";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
        var random = RandomStream.Create(context.Seed, RandomStream.Purpose("attack"), context.Round, context.Client);
        random.FillNormal(own, 0, (float)sigma);
    }
}

/// <summary>Inner-product manipulation (Xie et al. 2020): −ε times the mean of the honest updates.</summary>
public sealed class InnerProductManipulation(double epsilon) : IAttack
{
    public string Name => "ipm";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) =>
        HonestStatistics.ScaledMean(honest, -epsilon, own);
}

/// <summary>Copies one honest update (the first in canonical order), over-weighting that client's data (Karimireddy et al. 2022).</summary>
public sealed class Mimic : IAttack
{
    public string Name => "mimic";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
        if (honest.Count > 0)
        {
            honest[0].CopyTo(own);
        }
    }
}

/// <summary>Sends non-finite values (NaN or +∞ everywhere), which the server must reject and survive.</summary>
public sealed class NonFinite(float value) : IAttack
{
    public string Name => float.IsNaN(value) ? "nan" : "inf";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) => own.Fill(value);
}
