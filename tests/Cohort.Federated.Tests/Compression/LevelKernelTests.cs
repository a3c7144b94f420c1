using Cohort.Federated.Compression;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

/// <summary>The vector paths of natural compression and stochastic rounding against one value at a time.</summary>
public class LevelKernelTests
{
    private static uint[] Randoms(int n, ulong seed)
    {
        var randoms = new uint[n];
        var stream = RandomStream.Create(seed, 4);
        stream.Fill(randoms);
        return randoms;
    }

    [Fact]
    public void NaturalCodesAndValuesMatchTheScalarOnes()
    {
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n, specials: true);
            var randoms = Randoms(n, (ulong)n);
            var codes = new uint[n];
            NaturalCompression.Codes(input, randoms, codes);
            Assert.Equal(Enumerable.Range(0, n).Select(i => NaturalCompression.Code(input[i], randoms[i])), codes);
            var decoded = new float[n];
            NaturalCompression.Values(codes, decoded);
            Assert.Equal(codes.Select(c => BitConverter.SingleToUInt32Bits(NaturalCompression.Value(c))), Kernels.Bits(decoded));
        }
    }

    [Theory]
    [InlineData(4, -2f, 3.75f)]
    [InlineData(1, 0f, 0.5f)]
    [InlineData(16, -1f, 32767.5f)]
    [InlineData(3, 0f, 0f)]
    [InlineData(8, float.NaN, 1f)]
    public void StochasticRoundingLevelsAndValuesMatchTheScalarOnes(int bits, float low, float inverse)
    {
        uint top = (1u << bits) - 1;
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n + 3, specials: true);
            var randoms = Randoms(n, (ulong)n + 5);
            var levels = new uint[n];
            StochasticRounding.Levels(input, low, inverse, top, randoms, levels);
            Assert.Equal(Enumerable.Range(0, n).Select(i => StochasticRounding.Level(input[i], low, inverse, top, randoms[i])), levels);
            Assert.All(levels, l => Assert.InRange(l, 0u, top));
            var decoded = new float[n];
            StochasticRounding.Values(levels, low, 1 / inverse, decoded);
            Assert.Equal(levels.Select(l => BitConverter.SingleToUInt32Bits(low + l * (1 / inverse))), Kernels.Bits(decoded));
        }
    }
}
