using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

public class NumberFormatTests
{
    [Fact]
    public void Fp16MatchesSystemHalfOnManyValues()
    {
        var values = Codes.Normal(5000, 21, 100f).Concat([0f, -0f, 65504f, 65520f, 1e-8f, 6e-8f, float.PositiveInfinity, float.NegativeInfinity]);
        foreach (float v in values)
        {
            Assert.Equal((float)(Half)v, Fp16Format.Decode(Fp16Format.Encode(v)));
        }
        Assert.True(float.IsNaN(Fp16Format.Decode(Fp16Format.Encode(float.NaN))));
    }

    [Fact]
    public void Fp16CompressorsBulkConversionMatchesSystemHalf()
    {
        float[] input = [.. Codes.Normal(999, 22, 1000f), 0f, -0f, 65504f, 65519.99f, 65520f, 1e-8f, 2.98e-8f, 6e-8f, float.PositiveInfinity, float.NaN];
        var (_, decoded) = Codes.Send(CompressorTable.Create("fp16"), input);
        for (int i = 0; i < input.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits((float)(Half)input[i]), BitConverter.SingleToUInt32Bits(decoded[i]));
        }
    }

    [Theory]
    // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1); 1 + 3·2^-8 ties up to 1 + 2^-6.
    [InlineData(1.00390625f, 1f)]
    [InlineData(1.01171875f, 1.015625f)]
    [InlineData(1.0039064f, 1.0078125f)]
    [InlineData(-2.5f, -2.5f)]
    [InlineData(3.4028235e38f, float.PositiveInfinity)]
    [InlineData(1e-40f, 9.1835496e-41f)] // a subnormal: its top 16 bits, rounded down to 2^-133
    [InlineData(float.NegativeInfinity, float.NegativeInfinity)]
    public void Bf16RoundsToNearestEven(float input, float expected) =>
        Assert.Equal(expected, Bf16Format.Decode(Bf16Format.Encode(input)));

    [Theory]
    // tf32 keeps 10 mantissa bits: 1 + 2^-11 ties to 1; 1 + 3·2^-11 ties up to 1 + 2^-9.
    [InlineData(1.00048828125f, 1f)]
    [InlineData(1.00146484375f, 1.001953125f)]
    [InlineData(65536.5f, 65536f)]
    public void Tf32RoundsToNearestEven(float input, float expected) =>
        Assert.Equal(expected, Tf32Format.Decode(Tf32Format.Encode(input)));

    [Theory]
    [InlineData(448f, 0x7Eu)]
    [InlineData(1000f, 0x7Eu)]
    [InlineData(float.PositiveInfinity, 0x7Eu)]
    [InlineData(-448f, 0xFEu)]
    [InlineData(1f, 0x38u)]
    [InlineData(1.0625f, 0x38u)] // halfway between 1 and 1.125: even mantissa
    [InlineData(1.1875f, 0x3Au)] // halfway between 1.125 and 1.25: up to the even 1.25
    [InlineData(0.001953125f, 0x01u)] // 2^-9, the smallest subnormal
    [InlineData(0.0009765625f, 0x00u)] // 2^-10: ties to zero
    [InlineData(0.0029296875f, 0x02u)] // 1.5·2^-9 ties to the even 2·2^-9
    [InlineData(0.015625f, 0x08u)] // 2^-6, the smallest normal
    [InlineData(-0f, 0x80u)]
    public void Fp8E4M3EncodesKnownValues(float input, uint code) => Assert.Equal(code, Fp8Format<E4M3>.Encode(input));

    [Theory]
    [InlineData(57344f, 0x7Bu)]
    [InlineData(1e6f, 0x7Bu)]
    [InlineData(float.PositiveInfinity, 0x7Cu)]
    [InlineData(float.NegativeInfinity, 0xFCu)]
    [InlineData(1f, 0x3Cu)]
    [InlineData(1.125f, 0x3Cu)] // halfway between 1 and 1.25: even
    [InlineData(1.375f, 0x3Eu)] // halfway between 1.25 and 1.5: even is 1.5
    [InlineData(1.52587890625e-05f, 0x01u)] // 2^-16, the smallest subnormal
    [InlineData(6.103515625e-05f, 0x04u)] // 2^-14, the smallest normal
    public void Fp8E5M2EncodesKnownValues(float input, uint code) => Assert.Equal(code, Fp8Format<E5M2>.Encode(input));

    [Fact]
    public void Fp8DecodesEveryCodeToAValueThatEncodesBack()
    {
        for (uint code = 0; code < 256; code++)
        {
            float e4 = Fp8Format<E4M3>.Decode(code), e5 = Fp8Format<E5M2>.Decode(code);
            if (!float.IsNaN(e4))
            {
                Assert.Equal(code, Fp8Format<E4M3>.Encode(e4));
            }
            if (!float.IsNaN(e5))
            {
                Assert.Equal(code, Fp8Format<E5M2>.Encode(e5));
            }
        }
        Assert.True(float.IsNaN(Fp8Format<E4M3>.Decode(0x7F)));
        Assert.True(float.IsNaN(Fp8Format<E5M2>.Decode(0x7D)));
        Assert.True(float.IsNaN(Fp8Format<E4M3>.Decode(Fp8Format<E4M3>.Encode(float.NaN))));
        Assert.True(float.IsNaN(Fp8Format<E5M2>.Decode(Fp8Format<E5M2>.Encode(float.NaN))));
    }
}
