namespace Cohort.Federated.Tests.Compression;

/// <summary>Inputs for comparing a vector kernel with its scalar reference: every length to 256, some longer odd ones, special values mixed in.</summary>
internal static class Kernels
{
    public static IEnumerable<int> Lengths() => Enumerable.Range(0, 257).Concat([1023, 1025, 3001, 4099]);

    private static readonly float[] Specials =
    [
        0f, -0f, float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon,
        1e-40f, -1e-40f, 1.17549435e-38f, float.MaxValue, float.MinValue, 1f, -1f, 0.5f,
        1.00390625f, 1.01171875f, 1.0625f, 1.1875f, 448f, 464f, 57344f, 61440f, 65520f, 1.52587890625e-05f, 0.0009765625f, 0.001953125f,
    ];

    /// <summary>Normal values (σ = <paramref name="std"/>) with every eighth replaced by a special one when <paramref name="specials"/>.</summary>
    public static float[] Input(int n, ulong seed, bool specials, float std = 1f)
    {
        var values = Codes.Normal(n, seed, std);
        if (specials)
        {
            for (int i = 3; i < n; i += 8)
            {
                float s = Specials[(i / 8 + (int)seed) % Specials.Length];
                values[i] = i % 16 == 3 ? s : -s;
            }
        }
        return values;
    }

    public static uint[] Bits(ReadOnlySpan<float> values) => [.. values.ToArray().Select(BitConverter.SingleToUInt32Bits)];
}
