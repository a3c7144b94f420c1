using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cohort.Tensors.Kernels;

/// <summary>
/// The matrices of Winograd's minimal filtering F(2, 5) on the points 0, 1, −1, 2, −2, ∞
/// (y = Aᵀ[(G·g) ⊙ (Bᵀ·d)] for a 5-tap filter g over 6 inputs d), and their one-dimensional
/// transforms on eight lanes at once. The vector forms are the matrices written out with shared
/// sums; <see cref="BT"/>, <see cref="G"/> and <see cref="AT"/> are the reference.
/// </summary>
public static class WinogradTransforms
{
    /// <summary>Tile edge: 6 inputs give 2 outputs of a 5-tap filter.</summary>
    public const int Alpha = 6;

    /// <summary>Bᵀ (6x6): row j holds the coefficients of ∏ over the other finite points of (x − p), the last row ∏ of all five.</summary>
    public static readonly float[,] BT =
    {
        { 4, 0, -5, 0, 1, 0 },
        { 0, -4, -4, 1, 1, 0 },
        { 0, 4, -4, -1, 1, 0 },
        { 0, -2, -1, 2, 1, 0 },
        { 0, 2, -1, -2, 1, 0 },
        { 0, 4, 0, -5, 0, 1 },
    };

    /// <summary>G (6x5): pⱼᵏ divided by ∏ over the other points of (pⱼ − p); the last row picks the leading tap.</summary>
    public static readonly float[,] G =
    {
        { 1f / 4, 0, 0, 0, 0 },
        { -1f / 6, -1f / 6, -1f / 6, -1f / 6, -1f / 6 },
        { -1f / 6, 1f / 6, -1f / 6, 1f / 6, -1f / 6 },
        { 1f / 24, 1f / 12, 1f / 6, 1f / 3, 2f / 3 },
        { 1f / 24, -1f / 12, 1f / 6, -1f / 3, 2f / 3 },
        { 0, 0, 0, 0, 1 },
    };

    /// <summary>Aᵀ (2x6): the powers 0 and 1 of the points; ∞ contributes to the last output.</summary>
    public static readonly float[,] AT =
    {
        { 1, 1, 1, 1, 1, 0 },
        { 0, 1, -1, 2, -2, 1 },
    };

    /// <summary>o[k·s] = (Bᵀ·d)ₖ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void InputRow(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, Vector256<float> d4, Vector256<float> d5, Vector256<float>* o, int s)
    {
        Vector256<float> four = Vector256.Create(4f), five = Vector256.Create(5f), two = Vector256.Create(2f);
        o[0] = Fma.MultiplyAdd(four, d0, Fma.MultiplyAddNegated(five, d2, d4));
        Vector256<float> s12 = Avx.Add(d1, d2), s34 = Avx.Add(d3, d4);
        o[s] = Fma.MultiplyAddNegated(four, s12, s34);
        Vector256<float> m12 = Avx.Subtract(d1, d2), m43 = Avx.Subtract(d4, d3);
        o[2 * s] = Fma.MultiplyAdd(four, m12, m43);
        Vector256<float> m31 = Avx.Subtract(d3, d1), m42 = Avx.Subtract(d4, d2);
        o[3 * s] = Fma.MultiplyAdd(two, m31, m42);
        o[4 * s] = Fma.MultiplyAddNegated(two, m31, m42);
        o[5 * s] = Fma.MultiplyAdd(four, d1, Fma.MultiplyAddNegated(five, d3, d5));
    }

    /// <summary>o[k·s] = (B·v)ₖ, the transpose of <see cref="InputRow"/> (input gradients).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void InputRowTransposed(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3, Vector256<float> v4, Vector256<float> v5, Vector256<float>* o, int s)
    {
        Vector256<float> four = Vector256.Create(4f), five = Vector256.Create(5f), two = Vector256.Create(2f);
        Vector256<float> m21 = Avx.Subtract(v2, v1), m43 = Avx.Subtract(v4, v3);
        Vector256<float> s12 = Avx.Add(v1, v2), s34 = Avx.Add(v3, v4);
        o[0] = Avx.Multiply(four, v0);
        o[s] = Fma.MultiplyAdd(four, Avx.Add(m21, v5), Avx.Multiply(two, m43));
        o[2 * s] = Avx.Subtract(Fma.MultiplyAddNegated(five, v0, Avx.Multiply(Vector256.Create(-4f), s12)), s34);
        o[3 * s] = Fma.MultiplyAddNegated(five, v5, Fma.MultiplyAddNegated(two, m43, Avx.Subtract(v1, v2)));
        o[4 * s] = Avx.Add(Avx.Add(v0, s12), s34);
        o[5 * s] = v5;
    }

    /// <summary>(y0, y1) = Aᵀ·m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputRow(Vector256<float> m0, Vector256<float> m1, Vector256<float> m2, Vector256<float> m3, Vector256<float> m4, Vector256<float> m5, out Vector256<float> y0, out Vector256<float> y1)
    {
        Vector256<float> s12 = Avx.Add(m1, m2), s34 = Avx.Add(m3, m4);
        y0 = Avx.Add(Avx.Add(m0, s12), s34);
        y1 = Avx.Add(Fma.MultiplyAdd(Vector256.Create(2f), Avx.Subtract(m3, m4), Avx.Subtract(m1, m2)), m5);
    }

    /// <summary>o[k·s] = (A·(a, b))ₖ, the transpose of <see cref="OutputRow"/> (output gradients into the tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void OutputRowTransposed(Vector256<float> a, Vector256<float> b, Vector256<float>* o, int s)
    {
        Vector256<float> two = Vector256.Create(2f);
        o[0] = a;
        o[s] = Avx.Add(a, b);
        o[2 * s] = Avx.Subtract(a, b);
        o[3 * s] = Fma.MultiplyAdd(two, b, a);
        o[4 * s] = Fma.MultiplyAddNegated(two, b, a);
        o[5 * s] = b;
    }

    /// <summary>
    /// The filter transform as one matrix: K[(p,q), (a,b)] = G[p,a]·G[q,b], so that the 36 transformed
    /// taps of every filter are one product with its 25 taps, and the filter gradient one product back.
    /// </summary>
    public static float[] FilterMatrix()
    {
        var k = new float[Alpha * Alpha * 25];
        for (int p = 0; p < Alpha; p++)
        {
            for (int q = 0; q < Alpha; q++)
            {
                for (int a = 0; a < 5; a++)
                {
                    for (int b = 0; b < 5; b++)
                    {
                        k[(p * Alpha + q) * 25 + a * 5 + b] = (float)((double)G[p, a] * G[q, b]);
                    }
                }
            }
        }
        return k;
    }
}
