using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// TernGrad (Wen et al. 2017): per tensor s = max|x|, each value becomes s·sign(x)·b with
/// b ~ Bernoulli(|x|/s), so E = x; two bits a value (0, +s, −s).
/// </summary>
public readonly struct TernarySymbol : IScaledSymbol
{
    public static int Bits => 2;

    public static float Scale(ReadOnlySpan<float> tensor) => MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(tensor));

    public static uint Symbol(float value, float scale, ref RandomStream random) =>
        scale > 0 && random.NextFloat() < MathF.Abs(value) / scale ? (value < 0 ? 2u : 1u) : 0u;

    public static float Value(uint symbol, float scale) => symbol switch
    {
        0 => 0f,
        1 => scale,
        2 => -scale,
        _ => throw new FormatException($"TernGrad: symbol {symbol} is not a ternary value."),
    };
}
