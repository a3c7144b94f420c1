using Cohort.Federated.Compression;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

/// <summary>The formats' bulk conversions against one code at a time, over lengths, special values, random bit patterns and rounding ties.</summary>
public class FloatFormatKernelTests
{
    [Fact]
    public void Fp16BulkMatchesOneCodeAtATime() => Check<Fp16Format>();

    [Fact]
    public void Bf16BulkMatchesOneCodeAtATime() => Check<Bf16Format>();

    [Fact]
    public void Tf32BulkMatchesOneCodeAtATime() => Check<Tf32Format>();

    [Fact]
    public void Fp8E4M3BulkMatchesOneCodeAtATime() => Check<Fp8Format<E4M3>>();

    [Fact]
    public void Fp8E5M2BulkMatchesOneCodeAtATime() => Check<Fp8Format<E5M2>>();

    private static void Check<TFormat>() where TFormat : struct, IFloatFormat
    {
        foreach (int n in Kernels.Lengths())
        {
            Same<TFormat>(Kernels.Input(n, (ulong)n, specials: true));
            Same<TFormat>(Kernels.Input(n, (ulong)n + 7, specials: true, std: 0.01f));
            Same<TFormat>(Kernels.Input(n, (ulong)n + 9, specials: false, std: 300f));
        }
        Same<TFormat>(RandomBits(100_003));
        Same<TFormat>(Ties());
    }

    private static void Same<TFormat>(float[] input) where TFormat : struct, IFloatFormat
    {
        int bytes = (int)(((long)input.Length * TFormat.Bits + 7) / 8);
        var fast = new byte[bytes];
        var slow = new byte[bytes];
        Assert.True(TFormat.TryEncodeAll(input, fast));
        FloatFormatCompressor<TFormat>.EncodeScalar(input, slow);
        Assert.Equal(slow, fast);
        var decoded = new float[input.Length];
        var reference = new float[input.Length];
        Assert.True(TFormat.TryDecodeAll(fast, decoded));
        FloatFormatCompressor<TFormat>.DecodeScalar(fast, reference);
        Assert.Equal(Kernels.Bits(reference), Kernels.Bits(decoded));
    }

    /// <summary>Any bit pattern: every exponent, NaN payloads, infinities, subnormals.</summary>
    private static float[] RandomBits(int n)
    {
        var random = RandomStream.Create(5, 6);
        var bits = new uint[n];
        random.Fill(bits);
        return [.. bits.Select(BitConverter.UInt32BitsToSingle)];
    }

    /// <summary>Every sign, exponent and top mantissa bits with low bits just below, at and above each halfway point.</summary>
    private static float[] Ties()
    {
        var values = new List<float>();
        uint[] lows = [0, 1, 0x7FF, 0x800, 0x801, 0xFFF, 0xFFFF, 0x7FFFF, 0x80000, 0x80001, 0xFFFFF, 0x100000, 0x1FFFFF];
        for (uint top = 0; top < 1u << 12; top++)
        {
            foreach (uint low in lows)
            {
                values.Add(BitConverter.UInt32BitsToSingle(top << 20 | low));
                values.Add(BitConverter.UInt32BitsToSingle(top << 20 | low << 2));
            }
        }
        return [.. values];
    }
}
