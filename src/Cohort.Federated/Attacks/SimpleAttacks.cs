using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Attacks;

/// <summary>Trains on flipped labels (y → classes − 1 − y) and sends that update unchanged.</summary>
internal sealed class LabelFlip : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("label-flip", "Byzantine clients train on labels mapped y → classes − 1 − y", _ => new LabelFlip());

    public string Name => "label-flip";

    public bool FlipsLabels => true;

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
    }
}

/// <summary>Sends minus its own honest update.</summary>
internal sealed class BitFlip : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("bit-flip", "Byzantine clients flip the sign bit of every value they send", _ => new BitFlip());

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
internal sealed class SignFlip : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("sign-flip", "Byzantine clients send minus their honest update", _ => new SignFlip());

    public string Name => "sign-flip";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) =>
        HonestStatistics.ScaledMean(honest, -1, own);
}

/// <summary>Sends Gaussian noise N(0, σ²) in every coordinate.</summary>
internal sealed class GaussianNoise(double sigma) : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("gaussian", "Byzantine clients send Gaussian noise", a => new GaussianNoise(a.Config.GetDouble("attack.sigma")))
    {
        Keys = [Key.Number("sigma", "1", "standard deviation of the noise sent", 0)],
    };

    public string Name => "gaussian";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own)
    {
        var random = RandomStream.Create(context.Seed, RandomStream.Purpose("attack"), context.Round, context.Client);
        random.FillNormal(own, 0, (float)sigma);
    }
}

/// <summary>Inner-product manipulation (Xie et al. 2020): −ε times the mean of the honest updates.</summary>
internal sealed class InnerProductManipulation(double epsilon) : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("ipm", "inner-product manipulation (Xie et al. 2020): Byzantine clients send −ε times the honest mean", a => new InnerProductManipulation(a.Config.GetDouble("attack.epsilon")))
    {
        Keys = [Key.Number("epsilon", "0.1", "ε, the scale of minus the honest mean", 0)],
    };

    public string Name => "ipm";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) =>
        HonestStatistics.ScaledMean(honest, -epsilon, own);
}

/// <summary>Copies one honest update (the first in canonical order), over-weighting that client's data (Karimireddy et al. 2022).</summary>
internal sealed class Mimic : IAttack
{
    public static AttackDeclaration Declaration { get; } = new("mimic", "mimic (Karimireddy et al. 2022): Byzantine clients copy one honest client", _ => new Mimic());

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
internal sealed class NonFinite(float value) : IAttack
{
    public static AttackDeclaration NotANumber { get; } = new("nan", "Byzantine clients send NaN values", _ => new NonFinite(float.NaN));

    public static AttackDeclaration Infinity { get; } = new("inf", "Byzantine clients send infinite values", _ => new NonFinite(float.PositiveInfinity));

    public string Name => float.IsNaN(value) ? "nan" : "inf";

    public void Craft(AttackContext context, IReadOnlyList<float[]> honest, Span<float> own) => own.Fill(value);
}
