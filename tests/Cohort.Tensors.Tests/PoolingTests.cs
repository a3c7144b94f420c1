using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class PoolingTests
{
    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(3, 5, 7)]
    [InlineData(2, 28, 28)]
    [InlineData(4, 14, 14)]
    [InlineData(1, 17, 33)]
    [InlineData(2, 32, 48)]
    [InlineData(1, 256, 2)]
    [InlineData(1, 2, 256)]
    [InlineData(0, 4, 4)]
    [InlineData(3, 14, 14)]
    [InlineData(2, 9, 9)]
    [InlineData(2, 6, 6)]
    [InlineData(2, 8, 8)]
    [InlineData(1, 40, 41)]
    public void MaxPool2x2MatchesReference(int planes, int h, int w)
    {
        var g = new ConvGeometry(1, h, w, 2, 2, 2, 2, 0, 0);
        var random = RandomStream.Create(12, planes, h, w);
        var x = new float[planes * h * w];
        random.FillUniform(x, -1, 1);
        // Ties and NaNs: the first maximum and the last NaN must win, as in the reference.
        for (int i = 0; i < x.Length; i += 7)
        {
            x[i] = 0.5f;
        }
        for (int i = 3; i < x.Length; i += 23)
        {
            x[i] = float.NaN;
        }
        for (int i = 11; i < x.Length; i += 29)
        {
            x[i] = float.NaN;
        }
        int outSize = planes * g.OutHeight * g.OutWidth;
        var y = new float[outSize];
        var yRef = new float[outSize];
        var arg = new int[outSize];
        var argRef = new int[outSize];
        Pooling.MaxForward(g, planes, x, y, arg);
        Pooling.MaxForwardReference(g, planes, x, yRef, argRef);
        Assert.Equal(argRef, arg);
        Assert.Equal(yRef, y);
    }

    [Fact]
    public void MaxPoolRejectsShortBuffers()
    {
        var g = new ConvGeometry(1, 4, 4, 2, 2, 2, 2, 0, 0);
        var e = Assert.Throws<ArgumentException>(() => Pooling.MaxForward(g, 2, new float[31], new float[8], new int[8]));
        Assert.Contains("buffers too small", e.Message);
    }
}
