using Cohort.Tensors.Random;

namespace Cohort.Federated.Compression;

/// <summary>
/// signSGD with a scale (Bernstein et al. 2018; Karimireddy et al. 2019): per tensor the mean |x|, one
/// bit a value (1: negative); the receiver sees ±mean|x|.
/// </summary>
public readonly struct SignSymbol : IScaledSymbol
{
    public static int Bits => 1;

    public static float Scale(ReadOnlySpan<float> tensor) => System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(tensor) / tensor.Length;

    public static uint Symbol(float value, float scale, ref RandomStream random) => BitConverter.SingleToUInt32Bits(value) >> 31;

    // Flipping the sign bit instead of branching: signs are unpredictable.
    public static float Value(uint symbol, float scale) => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(scale) ^ (symbol << 31));
}
