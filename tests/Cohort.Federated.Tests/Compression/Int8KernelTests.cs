using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

public class Int8KernelTests
{
    [Theory]
    [InlineData(1f)]
    [InlineData(42.5f)]
    [InlineData(0f)]
    [InlineData(float.PositiveInfinity)]
    public void VectorQuantizeAndDequantizeMatchTheScalarOnes(float inverse)
    {
        foreach (int n in Kernels.Lengths())
        {
            var input = Kernels.Input(n, (ulong)n, specials: true, std: 3f);
            var fast = new sbyte[n];
            var slow = new sbyte[n];
            Int8Blocks.Quantize(input, inverse, fast);
            Int8Blocks.QuantizeScalar(input, inverse, slow);
            Assert.Equal(slow, fast);
            var decoded = new float[n];
            var reference = new float[n];
            Int8Blocks.Dequantize(fast, 0.37f, decoded);
            Int8Blocks.DequantizeScalar(fast, 0.37f, reference);
            Assert.Equal(Kernels.Bits(reference), Kernels.Bits(decoded));
        }
    }

    [Fact]
    public void TiesRoundToEvenAndNaNToZeroOnTheVectorPath()
    {
        float[] input = [0.5f, 1.5f, 2.5f, -2.5f, 126.5f, 200f, -1e9f, float.NaN, .. new float[40]];
        var bytes = new sbyte[input.Length];
        Int8Blocks.Quantize(input, 1f, bytes);
        Assert.Equal([0, 2, 2, -2, 126, 127, -127, 0], bytes[..8]);
    }
}
