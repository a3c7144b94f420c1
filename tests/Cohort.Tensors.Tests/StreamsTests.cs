using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class StreamsTests
{
    public static TheoryData<int> Lengths() => [0, 1, 7, 8, 9, 15, 16, 17, 31, 100, 255, 256, 1001];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void KernelsMatchReferences(int n)
    {
        var random = RandomStream.Create(21, n);
        var x = new float[n];
        var y = new float[n];
        random.FillUniform(x, -2, 2);
        random.FillUniform(y, -2, 2);

        var got = (float[])y.Clone();
        var expected = (float[])y.Clone();
        Streams.Axpy(-0.37f, x, got);
        Streams.AxpyReference(-0.37f, x, expected);
        Assert.Equal(expected, got);

        Streams.AddScalar(x, 1.25f, got);
        Streams.AddScalarReference(x, 1.25f, expected);
        Assert.Equal(expected, got);

        Streams.AddInto(x, got);
        Streams.AddIntoReference(x, expected);
        Assert.Equal(expected, got);
    }

    [Fact]
    public void RejectsDifferentLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Streams.Axpy(1f, new float[3], new float[4]));
        Assert.Contains("(3, 4)", e.Message);
    }

    [Fact]
    public void ReluPassesNaNAndZeroesNegatives()
    {
        float[] x = [float.NaN, -1f, 2f, -0f, 0f, 3f, -4f, float.NaN, 5f, -6f];
        var y = new float[x.Length];
        Activations.Relu(x, y);
        Assert.Equal([float.NaN, 0f, 2f, 0f, 0f, 3f, 0f, float.NaN, 5f, 0f], y);
    }
}
