using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cohort.Federated.Compression;

/// <summary>A random 32-bit number as a uniform fraction in [0, 1): its top 24 bits, as <see cref="Tensors.Random.RandomStream.NextFloat"/> makes it.</summary>
internal static class Uniform
{
    private const float Unit = 1.0f / 16777216.0f;

    public static float Of(uint random) => (random >> 8) * Unit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<uint> random) => Vector256.ConvertToSingle((random >> 8).AsInt32()) * Unit;
}
