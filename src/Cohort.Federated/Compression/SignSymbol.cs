using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// signSGD with a scale (Bernstein et al. 2018; Karimireddy et al. 2019): per tensor the mean |x|, one
/// bit a value (1: negative); the receiver sees ±mean|x|.
/// </summary>
internal readonly struct SignSymbol : IScaledSymbol
{
    public static CompressorDeclaration Declaration { get; } = new("sign", "signSGD (Bernstein et al. 2018): one sign bit a value, scaled per tensor (biased)", a => new ScaledSymbols<SignSymbol>(CompressorIds.Sign, "sign", unbiased: false, a.Segments));

    public static int Bits => 1;

    public static float Scale(ReadOnlySpan<float> tensor) => System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(tensor) / tensor.Length;

    public static void Pack(ReadOnlySpan<float> values, float scale, ref RandomStream random, Span<byte> bytes) => SignBits.Pack(values, bytes);

    // Flipping the sign bit instead of branching: signs are unpredictable.
    public static void Unpack(ReadOnlySpan<byte> bytes, float scale, Span<float> values) => SignBits.Unpack(bytes, scale, values);
}
