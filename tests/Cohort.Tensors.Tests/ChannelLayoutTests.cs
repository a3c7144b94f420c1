using Cohort.Tensors.Kernels;
using Cohort.Tensors.Random;

namespace Cohort.Tensors.Tests;

public class ChannelLayoutTests
{
    [Theory]
    [InlineData(0, 3, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 7)]
    [InlineData(10, 32, 784)]
    [InlineData(3, 64, 196)]
    [InlineData(5, 7, 256)]
    public void MatchesReferenceBothWays(int batch, int channels, int plane)
    {
        var random = RandomStream.Create(8, batch, channels, plane);
        var src = new float[batch * channels * plane];
        var bias = new float[channels];
        random.FillUniform(src, -1, 1);
        random.FillUniform(bias, -1, 1);
        var y = new float[src.Length];
        var expected = new float[src.Length];
        ChannelLayout.ToBatchAddBias(src, batch, channels, plane, bias, y);
        ChannelLayout.ToBatchAddBiasReference(src, batch, channels, plane, bias, expected);
        Assert.Equal(expected, y);
        ChannelLayout.ToBatchAddBias(src, batch, channels, plane, default, y);
        ChannelLayout.ToBatchAddBiasReference(src, batch, channels, plane, default, expected);
        Assert.Equal(expected, y);

        var back = new float[src.Length];
        ChannelLayout.ToChannels(y, batch, channels, plane, back);
        ChannelLayout.ToChannelsReference(y, batch, channels, plane, expected);
        Assert.Equal(expected, back);
        Assert.Equal(src, back);
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        var e = Assert.Throws<ArgumentException>(() => ChannelLayout.ToChannels(new float[5], 2, 3, 1, new float[6]));
        Assert.Contains("2x3x1", e.Message);
    }
}
