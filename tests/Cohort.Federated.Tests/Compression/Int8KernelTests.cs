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

    [Theory]
    [InlineData(512)]
    [InlineData(32)]
    [InlineData(7)]
    public void EveryValueIsWithinHalfAStepOfItsBlocksScale(int block)
    {
        // Half the blocks have a negative extreme: the scale is a magnitude whatever the extreme's sign.
        var input = Codes.Normal(5000, 3, std: 0.01f);
        for (int start = 0; start < input.Length; start += 2 * block)
        {
            input[start] = -1f;
        }
        var (_, decoded) = Codes.Send(new Int8Blocks(block), input);
        for (int start = 0; start < input.Length; start += block)
        {
            int end = Math.Min(start + block, input.Length);
            float max = 0;
            for (int i = start; i < end; i++)
            {
                max = Math.Max(max, Math.Abs(input[i]));
            }
            float halfStep = max / 127f / 2f * 1.0001f;
            for (int i = start; i < end; i++)
            {
                Assert.True(Math.Abs(decoded[i] - input[i]) <= halfStep, $"value {i} ({input[i]}) decoded as {decoded[i]}; block scale {max / 127f}");
            }
        }
    }
}
