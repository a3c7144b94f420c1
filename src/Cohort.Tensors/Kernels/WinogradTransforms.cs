using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The matrices of Winograd's minimal filtering F(4, 5) on the points 0, 1, −1, 2, −2, ½, −½, ∞
/// (y = Aᵀ[(G·g) ⊙ (Bᵀ·d)] for a 5-tap filter g over 8 inputs d, 4 outputs), and their
/// one-dimensional transforms on eight lanes at once. The vector forms are the matrices written
/// out with shared sums; <see cref="BT"/>, <see cref="G"/> and <see cref="AT"/> are the reference
/// (scripts/winograd-matrices.py derives them with exact fractions).
/// </summary>
internal static class WinogradTransforms
{
    /// <summary>Tile edge: 8 inputs give 4 outputs of a 5-tap filter.</summary>
    public const int Alpha = 8;

    /// <summary>Outputs per tile edge.</summary>
    public const int TileSize = 4;

    /// <summary>Transformed planes: one per (row, column) point pair.</summary>
    public const int Planes = Alpha * Alpha;

    /// <summary>Bᵀ (8x8): row j holds the coefficients of ∏ over the other finite points of (x − p), the last row ∏ of all seven.</summary>
    public static readonly float[,] BT =
    {
        { -1, 0, 21f / 4, 0, -21f / 4, 0, 1, 0 },
        { 0, 1, 1, -17f / 4, -17f / 4, 1, 1, 0 },
        { 0, -1, 1, 17f / 4, -17f / 4, -1, 1, 0 },
        { 0, 1f / 2, 1f / 4, -5f / 2, -5f / 4, 2, 1, 0 },
        { 0, -1f / 2, 1f / 4, 5f / 2, -5f / 4, -2, 1, 0 },
        { 0, 2, 4, -5f / 2, -5, 1f / 2, 1, 0 },
        { 0, -2, 4, 5f / 2, -5, -1f / 2, 1, 0 },
        { 0, -1, 0, 21f / 4, 0, -21f / 4, 0, 1 },
    };

    /// <summary>G (8x5): pⱼᵏ divided by ∏ over the other finite points of (pⱼ − p); the last row picks the leading tap.</summary>
    public static readonly double[,] G =
    {
        { -1, 0, 0, 0, 0 },
        { -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9 },
        { -2.0 / 9, 2.0 / 9, -2.0 / 9, 2.0 / 9, -2.0 / 9 },
        { 1.0 / 90, 1.0 / 45, 2.0 / 45, 4.0 / 45, 8.0 / 45 },
        { 1.0 / 90, -1.0 / 45, 2.0 / 45, -4.0 / 45, 8.0 / 45 },
        { 32.0 / 45, 16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45 },
        { 32.0 / 45, -16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45 },
        { 0, 0, 0, 0, 1 },
    };

    /// <summary>Aᵀ (4x8): the powers 0 to 3 of the points; ∞ contributes to the last output.</summary>
    public static readonly float[,] AT =
    {
        { 1, 1, 1, 1, 1, 1, 1, 0 },
        { 0, 1, -1, 2, -2, 1f / 2, -1f / 2, 0 },
        { 0, 1, 1, 4, 4, 1f / 4, 1f / 4, 0 },
        { 0, 1, -1, 8, -8, 1f / 8, -1f / 8, 1 },
    };

    /// <summary>o[k·s] = (Bᵀ·d)ₖ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void InputRow(Vector256<float>* d, int ds, Vector256<float>* o, int s)
    {
        Vector256<float> d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds], d4 = d[4 * ds], d5 = d[5 * ds], d6 = d[6 * ds], d7 = d[7 * ds];
        var c525 = Vector256.Create(5.25f);
        var c425 = Vector256.Create(4.25f);
        o[0] = Fma.MultiplyAdd(c525, Avx.Subtract(d2, d4), Avx.Subtract(d6, d0));
        o[7 * s] = Fma.MultiplyAdd(c525, Avx.Subtract(d3, d5), Avx.Subtract(d7, d1));
        var even = Fma.MultiplyAddNegated(c425, d4, Avx.Add(d2, d6));
        var odd = Fma.MultiplyAddNegated(c425, d3, Avx.Add(d1, d5));
        o[s] = Avx.Add(even, odd);
        o[2 * s] = Avx.Subtract(even, odd);
        // 0.25·d2 − 1.25·d4 + d6 and 0.5·d1 − 2.5·d3 + 2·d5.
        even = Fma.MultiplyAdd(Vector256.Create(0.25f), d2, Fma.MultiplyAddNegated(Vector256.Create(1.25f), d4, d6));
        odd = Fma.MultiplyAdd(Vector256.Create(0.5f), d1, Fma.MultiplyAdd(Vector256.Create(2f), d5, Avx.Multiply(Vector256.Create(-2.5f), d3)));
        o[3 * s] = Avx.Add(even, odd);
        o[4 * s] = Avx.Subtract(even, odd);
        // 4·d2 − 5·d4 + d6 and 2·d1 − 2.5·d3 + 0.5·d5.
        even = Fma.MultiplyAdd(Vector256.Create(4f), d2, Fma.MultiplyAddNegated(Vector256.Create(5f), d4, d6));
        odd = Fma.MultiplyAdd(Vector256.Create(2f), d1, Fma.MultiplyAdd(Vector256.Create(0.5f), d5, Avx.Multiply(Vector256.Create(-2.5f), d3)));
        o[5 * s] = Avx.Add(even, odd);
        o[6 * s] = Avx.Subtract(even, odd);
    }

    /// <summary>o[k·s] = (B·v)ₖ, the transpose of <see cref="InputRow"/> (input gradients).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void InputRowTransposed(Vector256<float>* v, int vs, Vector256<float>* o, int s)
    {
        Vector256<float> v0 = v[0], v7 = v[7 * vs];
        Vector256<float> v1 = v[vs], v2 = v[2 * vs], v3 = v[3 * vs], v4 = v[4 * vs], v5 = v[5 * vs], v6 = v[6 * vs];
        Vector256<float> s12 = Avx.Add(v1, v2), d12 = Avx.Subtract(v1, v2);
        Vector256<float> s34 = Avx.Add(v3, v4), d34 = Avx.Subtract(v3, v4);
        Vector256<float> s56 = Avx.Add(v5, v6), d56 = Avx.Subtract(v5, v6);
        var c525 = Vector256.Create(5.25f);
        o[0] = Avx.Subtract(Vector256<float>.Zero, v0);
        o[s] = Avx.Subtract(Fma.MultiplyAdd(Vector256.Create(0.5f), d34, Fma.MultiplyAdd(Vector256.Create(2f), d56, d12)), v7);
        o[2 * s] = Fma.MultiplyAdd(c525, v0, Fma.MultiplyAdd(Vector256.Create(0.25f), s34, Fma.MultiplyAdd(Vector256.Create(4f), s56, s12)));
        o[3 * s] = Fma.MultiplyAdd(c525, v7, Fma.MultiplyAdd(Vector256.Create(-4.25f), d12, Avx.Multiply(Vector256.Create(-2.5f), Avx.Add(d34, d56))));
        o[4 * s] = Fma.MultiplyAddNegated(c525, v0, Fma.MultiplyAddNegated(Vector256.Create(4.25f), s12,
            Fma.MultiplyAddNegated(Vector256.Create(1.25f), s34, Avx.Multiply(Vector256.Create(-5f), s56))));
        o[5 * s] = Fma.MultiplyAddNegated(c525, v7, Fma.MultiplyAdd(Vector256.Create(2f), d34, Fma.MultiplyAdd(Vector256.Create(0.5f), d56, d12)));
        o[6 * s] = Avx.Add(Avx.Add(v0, s12), Avx.Add(s34, s56));
        o[7 * s] = v7;
    }

    /// <summary>y[k·s] = (Aᵀ·m)ₖ for k &lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void OutputRow(Vector256<float>* m, int ms, Vector256<float>* y, int s)
    {
        Vector256<float> m1 = m[ms], m2 = m[2 * ms], m3 = m[3 * ms], m4 = m[4 * ms], m5 = m[5 * ms], m6 = m[6 * ms];
        Vector256<float> s12 = Avx.Add(m1, m2), d12 = Avx.Subtract(m1, m2);
        Vector256<float> s34 = Avx.Add(m3, m4), d34 = Avx.Subtract(m3, m4);
        Vector256<float> s56 = Avx.Add(m5, m6), d56 = Avx.Subtract(m5, m6);
        y[0] = Avx.Add(Avx.Add(m[0], s12), Avx.Add(s34, s56));
        y[s] = Fma.MultiplyAdd(Vector256.Create(2f), d34, Fma.MultiplyAdd(Vector256.Create(0.5f), d56, d12));
        y[2 * s] = Fma.MultiplyAdd(Vector256.Create(4f), s34, Fma.MultiplyAdd(Vector256.Create(0.25f), s56, s12));
        y[3 * s] = Avx.Add(Fma.MultiplyAdd(Vector256.Create(8f), d34, Fma.MultiplyAdd(Vector256.Create(0.125f), d56, d12)), m[7 * ms]);
    }

    /// <summary>o[k·s] = (A·y)ₖ for the 4 values y[0], y[ys], …, the transpose of <see cref="OutputRow"/> (output gradients into the tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void OutputRowTransposed(Vector256<float>* y, int ys, Vector256<float>* o, int s)
    {
        Vector256<float> a = y[0], b = y[ys], c = y[2 * ys], e = y[3 * ys];
        // Even and odd powers: a + k²c ± (k·b + k³·e) for k = 1, 2, ½.
        Vector256<float> even1 = Avx.Add(a, c), odd1 = Avx.Add(b, e);
        Vector256<float> even2 = Fma.MultiplyAdd(Vector256.Create(4f), c, a), odd2 = Fma.MultiplyAdd(Vector256.Create(8f), e, Avx.Multiply(Vector256.Create(2f), b));
        Vector256<float> evenHalf = Fma.MultiplyAdd(Vector256.Create(0.25f), c, a);
        Vector256<float> oddHalf = Fma.MultiplyAdd(Vector256.Create(0.125f), e, Avx.Multiply(Vector256.Create(0.5f), b));
        o[0] = a;
        o[s] = Avx.Add(even1, odd1);
        o[2 * s] = Avx.Subtract(even1, odd1);
        o[3 * s] = Avx.Add(even2, odd2);
        o[4 * s] = Avx.Subtract(even2, odd2);
        o[5 * s] = Avx.Add(evenHalf, oddHalf);
        o[6 * s] = Avx.Subtract(evenHalf, oddHalf);
        o[7 * s] = e;
    }

    /// <summary>
    /// The filter transform as one matrix: K[(p,q), (a,b)] = G[p,a]·G[q,b], so that the 64 transformed
    /// taps of every filter are one product with its 25 taps, and the filter gradient one product back.
    /// </summary>
    public static float[] FilterMatrix()
    {
        var k = new float[Planes * 25];
        for (int p = 0; p < Alpha; p++)
        {
            for (int q = 0; q < Alpha; q++)
            {
                for (int a = 0; a < 5; a++)
                {
                    for (int b = 0; b < 5; b++)
                    {
                        k[(p * Alpha + q) * 25 + a * 5 + b] = (float)(G[p, a] * G[q, b]);
                    }
                }
            }
        }
        return k;
    }
}
