using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cohort.Federated.Compression;

/// <summary>A random 32-bit number as a uniform fraction in [0, 1) (its top 24 bits, as <see cref="Tensors.Random.RandomStream.NextFloat"/> makes it), and stochastic rounding with it.</summary>
internal static class Uniform
{
    private const float Unit = 1.0f / 16777216.0f;

    public static float Of(uint random) => (random >> 8) * Unit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<uint> random) => Vector256.ConvertToSingle((random >> 8).AsInt32()) * Unit;

    /// <summary>Stochastic rounding of t ≥ 0: ⌊t⌋, plus one where the draw's fraction falls below t − ⌊t⌋ (so E = t); NaN gives 0.</summary>
    public static uint Round(float t, uint random)
    {
        uint level = (uint)t;
        return Of(random) < t - level ? level + 1 : level;
    }

    /// <summary><see cref="Round(float, uint)"/> of eight values, t in [0, 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Round(Vector256<float> t, Vector256<uint> random)
    {
        var level = Vector256.ConvertToInt32(t);
        return level - Vector256.LessThan(Of(random), t - Vector256.ConvertToSingle(level)).AsInt32();
    }
}
