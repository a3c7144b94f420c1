using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cohort.Tensors.Random;

/// <summary>
/// Gaussian noise added to many floats at once: Box-Muller in single precision on whole Philox blocks,
/// with its own polynomial logarithm and sine/cosine (Cephes' logf, sinf and cosf minimax polynomials)
/// so that a Vector256 pass and the scalar pass give the same bits on every machine.
/// <para>
/// Each group of 16 values takes 16 consecutive numbers of the stream: numbers 0–7 give the radii,
/// 8–15 the angles, value j gets r_j·cos φ_j and value 8 + j gets r_j·sin φ_j. The radius
/// √(−2 ln u) has u = (x + 1)/2³² of a 32-bit x, so the normal's magnitude is at most √(64 ln 2) ≈ 6.66
/// (probability 2.7e-11 beyond). A last partial group draws a whole one and uses its first values.
/// </para>
/// </summary>
public static class GaussianNoise
{
    private const int Group = 16;
    private const int Pairs = Group / 2;
    private const int ChunkGroups = 64;

    /// <summary>values[i] ← (values[i] + std·zᵢ)·scale with zᵢ standard normals from <paramref name="stream"/>.</summary>
    public static void AddScaled(ref RandomStream stream, Span<float> values, float std, float scale) =>
        Run<Noised>(ref stream, values, values, std, scale, 0f);

    /// <summary>
    /// As <see cref="AddScaled"/>, and in the same pass target[i] += alpha·values[i] with the noised
    /// value (plain SGD with alpha = −η): the bits of <see cref="AddScaled"/> followed by y += alpha·x,
    /// with one pass over the values instead of two.
    /// </summary>
    public static void AddScaledThenAxpy(ref RandomStream stream, Span<float> values, float std, float scale, float alpha, Span<float> target)
    {
        if (target.Length != values.Length)
        {
            throw new ArgumentException($"Noised step: {values.Length} values against a target of {target.Length}.", nameof(target));
        }
        Run<NoisedAxpy>(ref stream, values, target, std, scale, alpha);
    }

    private static void Run<TApply>(ref RandomStream stream, Span<float> values, Span<float> target, float std, float scale, float alpha)
        where TApply : struct, IApply
    {
        Span<uint> words = stackalloc uint[ChunkGroups * Group];
        Span<float> tail = stackalloc float[Group];
        Span<float> tailTarget = stackalloc float[Group];
        int done = 0;
        while (done < values.Length)
        {
            int count = Math.Min(values.Length - done, ChunkGroups * Group);
            int groups = (count + Group - 1) / Group;
            var chunkWords = words[..(groups * Group)];
            stream.Fill(chunkWords);
            int whole = count / Group;
            if (Vector256.IsHardwareAccelerated)
            {
                for (int g = 0; g < whole; g++)
                {
                    int at = done + g * Group;
                    GroupVector<TApply>(chunkWords.Slice(g * Group, Group), values.Slice(at, Group), target.Slice(at, Group), std, scale, alpha);
                }
            }
            else
            {
                for (int g = 0; g < whole; g++)
                {
                    int at = done + g * Group;
                    GroupScalar<TApply>(chunkWords.Slice(g * Group, Group), values.Slice(at, Group), target.Slice(at, Group), std, scale, alpha);
                }
            }
            int rest = count - whole * Group;
            if (rest > 0)
            {
                int at = done + whole * Group;
                tail.Clear();
                tailTarget.Clear();
                values.Slice(at, rest).CopyTo(tail);
                target.Slice(at, rest).CopyTo(tailTarget);
                GroupScalar<TApply>(chunkWords.Slice(whole * Group, Group), tail, tailTarget, std, scale, alpha);
                tail[..rest].CopyTo(values.Slice(at, rest));
                if (TApply.WritesTarget)
                {
                    tailTarget[..rest].CopyTo(target.Slice(at, rest));
                }
            }
            done += count;
        }
    }

    /// <summary>One group of 16 values, one lane at a time; the reference the vector pass must match bit for bit.</summary>
    internal static void GroupScalar(ReadOnlySpan<uint> words, Span<float> values, float std, float scale) =>
        GroupScalar<Noised>(words, values, values, std, scale, 0f);

    private static void GroupScalar<TApply>(ReadOnlySpan<uint> words, Span<float> values, Span<float> target, float std, float scale, float alpha)
        where TApply : struct, IApply
    {
        for (int j = 0; j < Pairs; j++)
        {
            uint x = words[j];
            float u = ((float)(int)(x >> 8) * 256f + (float)(int)(x & 0xFF) + 1f) * (1f / 4294967296f);
            float radius = std * MathF.Sqrt(-2f * Log(u));
            uint a = words[Pairs + j];
            int quadrant = (int)(a >> 30);
            float theta = ((float)(int)(a & 0x3FFFFFFF) * (1f / 1073741824f) - 0.5f) * (MathF.PI / 2f);
            float z = theta * theta;
            float sin = ((SinC0 * z + SinC1) * z + SinC2) * z * theta + theta;
            float cos = ((CosC0 * z + CosC1) * z + CosC2) * z * z - 0.5f * z + 1f;
            // φ = quadrant·π/2 + θ, θ in [−π/4, π/4): rotate (cos θ, sin θ) by whole quarter turns.
            (float c, float s) = quadrant switch { 0 => (cos, sin), 1 => (-sin, cos), 2 => (-cos, -sin), _ => (sin, -cos) };
            float first = (values[j] + radius * c) * scale, second = (values[Pairs + j] + radius * s) * scale;
            values[j] = first;
            values[Pairs + j] = second;
            if (TApply.WritesTarget)
            {
                target[j] += alpha * first;
                target[Pairs + j] += alpha * second;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GroupVector<TApply>(ReadOnlySpan<uint> words, Span<float> values, Span<float> target, float std, float scale, float alpha)
        where TApply : struct, IApply
    {
        ref uint w = ref MemoryMarshal.GetReference(words);
        ref float v = ref MemoryMarshal.GetReference(values);
        var x = Vector256.LoadUnsafe(ref w);
        var hi = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(x, 8).AsInt32());
        var lo = Vector256.ConvertToSingle((x & Vector256.Create(0xFFu)).AsInt32());
        var u = (hi * Vector256.Create(256f) + lo + Vector256<float>.One) * Vector256.Create(1f / 4294967296f);
        var radius = Vector256.Create(std) * Vector256.Sqrt(Vector256.Create(-2f) * Log(u));

        var a = Vector256.LoadUnsafe(ref w, Pairs);
        var quadrant = Vector256.ShiftRightLogical(a, 30);
        var fraction = Vector256.ConvertToSingle((a & Vector256.Create(0x3FFFFFFFu)).AsInt32());
        var theta = (fraction * Vector256.Create(1f / 1073741824f) - Vector256.Create(0.5f)) * Vector256.Create(MathF.PI / 2f);
        var z = theta * theta;
        var sin = ((Vector256.Create(SinC0) * z + Vector256.Create(SinC1)) * z + Vector256.Create(SinC2)) * z * theta + theta;
        var cos = ((Vector256.Create(CosC0) * z + Vector256.Create(CosC1)) * z + Vector256.Create(CosC2)) * z * z - Vector256.Create(0.5f) * z + Vector256<float>.One;
        // Odd quadrants swap cos and sin; quadrants 1 and 2 negate the cosine, 2 and 3 the sine.
        var odd = Vector256.Equals(quadrant & Vector256<uint>.One, Vector256<uint>.One).AsSingle();
        var c = Vector256.ConditionalSelect(odd, sin, cos);
        var s = Vector256.ConditionalSelect(odd, cos, sin);
        var signC = Vector256.ShiftLeft((quadrant ^ Vector256.ShiftRightLogical(quadrant, 1)) & Vector256<uint>.One, 31).AsSingle();
        var signS = Vector256.ShiftLeft(Vector256.ShiftRightLogical(quadrant, 1), 31).AsSingle();
        c ^= signC;
        s ^= signS;
        var scaleV = Vector256.Create(scale);
        var first = (Vector256.LoadUnsafe(ref v) + radius * c) * scaleV;
        var second = (Vector256.LoadUnsafe(ref v, Pairs) + radius * s) * scaleV;
        first.StoreUnsafe(ref v);
        second.StoreUnsafe(ref v, Pairs);
        if (TApply.WritesTarget)
        {
            ref float t = ref MemoryMarshal.GetReference(target);
            var alphaV = Vector256.Create(alpha);
            (Vector256.LoadUnsafe(ref t) + alphaV * first).StoreUnsafe(ref t);
            (Vector256.LoadUnsafe(ref t, Pairs) + alphaV * second).StoreUnsafe(ref t, Pairs);
        }
    }

    /// <summary>What a pass does besides noising the values: nothing, or an axpy into a target.</summary>
    private interface IApply
    {
        static abstract bool WritesTarget { get; }
    }

    private readonly struct Noised : IApply
    {
        public static bool WritesTarget => false;
    }

    private readonly struct NoisedAxpy : IApply
    {
        public static bool WritesTarget => true;
    }

    // Cephes sinf and cosf on [−π/4, π/4].
    private const float SinC0 = -1.9515295891E-4f, SinC1 = 8.3321608736E-3f, SinC2 = -1.6666654611E-1f;
    private const float CosC0 = 2.443315711809948E-5f, CosC1 = -1.388731625493765E-3f, CosC2 = 4.166664568298827E-2f;

    // Cephes logf: ln(m·2^e) = ln(1 + x) + e·ln 2 with m in [√½, √2), ln 2 split in two for accuracy.
    private const float L0 = 7.0376836292E-2f, L1 = -1.1514610310E-1f, L2 = 1.1676998740E-1f, L3 = -1.2420140846E-1f, L4 = 1.4249322787E-1f;
    private const float L5 = -1.6668057665E-1f, L6 = 2.0000714765E-1f, L7 = -2.4999993993E-1f, L8 = 3.3333331174E-1f;
    private const float Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f, SqrtHalf = 0.707106781186547524f;

    /// <summary>Natural logarithm of a positive normal float.</summary>
    internal static float Log(float u)
    {
        int bits = BitConverter.SingleToInt32Bits(u);
        float e = (bits >> 23) - 126;
        float m = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F000000);
        if (m < SqrtHalf)
        {
            e -= 1f;
            m = m + m - 1f;
        }
        else
        {
            m -= 1f;
        }
        return LogTail(m, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float LogTail(float x, float e)
    {
        float z = x * x;
        float y = ((((((((L0 * x + L1) * x + L2) * x + L3) * x + L4) * x + L5) * x + L6) * x + L7) * x + L8) * x * z;
        y += Ln2Low * e;
        y += -0.5f * z;
        return x + y + Ln2High * e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log(Vector256<float> u)
    {
        var bits = u.AsInt32();
        var e = Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(126));
        var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F000000)).AsSingle();
        var small = Vector256.LessThan(m, Vector256.Create(SqrtHalf));
        e -= small & Vector256<float>.One;
        var x = Vector256.ConditionalSelect(small, m + m - Vector256<float>.One, m - Vector256<float>.One);
        var z = x * x;
        var y = ((((((((Vector256.Create(L0) * x + Vector256.Create(L1)) * x + Vector256.Create(L2)) * x + Vector256.Create(L3)) * x
            + Vector256.Create(L4)) * x + Vector256.Create(L5)) * x + Vector256.Create(L6)) * x + Vector256.Create(L7)) * x + Vector256.Create(L8)) * x * z;
        y += Vector256.Create(Ln2Low) * e;
        y += Vector256.Create(-0.5f) * z;
        return x + y + Vector256.Create(Ln2High) * e;
    }
}
