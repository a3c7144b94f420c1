using Cohort.NN.Autograd;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Tests;

public class NormForwardTests
{
    [Fact]
    public void BatchNormUpdatesRunningStatisticsLikePyTorch()
    {
        // x [N=2, C=2, H=1, W=2]. Channel 0 holds 1, 2 | 3, 6: mean 3, biased variance 14/4 = 3.5,
        // unbiased 14/3. Channel 1 holds -1, -1 | 1, 5: mean 1, biased variance 24/4 = 6, unbiased 8.
        var x = Tensor.FromArray([1, 2, -1, -1, 3, 6, 1, 5], new Shape(2, 2, 1, 2), "x");
        var w = Tensor.FromArray([1, 1], new Shape(2), "weight");
        var b = Tensor.FromArray([0, 0], new Shape(2), "bias");
        var mean = Tensor.FromArray([0, 0], new Shape(2), "running_mean");
        var variance = Tensor.FromArray([1, 1], new Shape(2), "running_var");
        var tape = new Tape();

        var y = tape.BatchNorm(x, w, b, mean, variance);
        // running = 0.9·running + 0.1·batch, with the unbiased variance.
        Assert.Equal(0.3f, mean.Data[0], 6);
        Assert.Equal(0.1f, mean.Data[1], 6);
        Assert.Equal(0.9f + 0.1f * 14f / 3f, variance.Data[0], 6);
        Assert.Equal(0.9f + 0.1f * 8f, variance.Data[1], 6);
        // The output is normalised with the biased batch variance.
        Assert.Equal((1 - 3) / Math.Sqrt(3.5 + 1e-5), y.Data[0], 5);
        Assert.Equal((5 - 1) / Math.Sqrt(6 + 1e-5), y.Data[7], 5);

        tape.Reset();
        tape.BatchNorm(x, w, b, mean, variance);
        Assert.Equal(0.9f * 0.3f + 0.3f, mean.Data[0], 6);
        Assert.Equal(0.9f * (0.9f + 0.1f * 14f / 3f) + 0.1f * 14f / 3f, variance.Data[0], 5);

        // Evaluation uses the running estimates and leaves them alone.
        tape.Reset();
        tape.Training = false;
        float m0 = mean.Data[0], v0 = variance.Data[0];
        y = tape.BatchNorm(x, w, b, mean, variance);
        Assert.Equal(m0, mean.Data[0]);
        Assert.Equal(v0, variance.Data[0]);
        Assert.Equal((1 - m0) / Math.Sqrt(v0 + 1e-5), y.Data[0], 5);
    }

    [Fact]
    public void BatchNormRefusesOneValuePerChannelInTraining()
    {
        var x = new Tensor(new Shape(1, 2), "x");
        var ones = Tensor.FromArray([1, 1], new Shape(2), "weight");
        var zeros = Tensor.FromArray([0, 0], new Shape(2), "bias");
        var e = Assert.Throws<ArgumentException>(() => new Tape().BatchNorm(x, ones, zeros, zeros, ones));
        Assert.Contains("batch_norm", e.Message);
        Assert.Contains("x [1, 2]", e.Message);
    }

    [Fact]
    public void LayerAndGroupNormStandardise()
    {
        var x = GradCheck.Leaf(new Shape(2, 4, 3, 3), 1, -3, 5, "x");
        var ones = Tensor.FromArray([1, 1, 1, 1], new Shape(4), "weight");
        var zeros = Tensor.FromArray([0, 0, 0, 0], new Shape(4), "bias");
        var tape = new Tape();
        var g = tape.GroupNorm(x, 2, ones, zeros);
        for (int s = 0; s < 4; s++)
        {
            AssertStandard(g.Data.Slice(s * 18, 18));
        }
        var rows = tape.Reshape(x, new Shape(18, 4));
        var l = tape.LayerNorm(rows, ones, zeros);
        for (int r = 0; r < 18; r++)
        {
            AssertStandard(l.Data.Slice(r * 4, 4));
        }
    }

    private static void AssertStandard(ReadOnlySpan<float> values)
    {
        double mean = 0, sq = 0;
        foreach (float v in values)
        {
            mean += v;
        }
        mean /= values.Length;
        foreach (float v in values)
        {
            sq += (v - mean) * (v - mean);
        }
        Assert.Equal(0, mean, 5);
        Assert.Equal(1, sq / values.Length, 2);
    }
}
