using Cohort.NN.Optimizers;

namespace Cohort.NN.Tests.Optimizers;

/// <summary>Yogi is not in torch.optim: it is checked against a scalar double-precision reference.</summary>
public class YogiTests
{
    [Theory]
    [InlineData(1e-2, 0.9, 0.99, 1e-3, 1e-6)]
    [InlineData(0.1, 0.5, 0.9, 1e-2, 0.5)]
    public void MatchesScalarReference(double lr, double beta1, double beta2, double eps, double v0)
    {
        var parameters = GoldenData.Initial;
        var gradients = GoldenData.Gradients;
        var yogi = new Yogi((float)lr, beta1, beta2, eps, v0);
        double[] p = [.. parameters.Select(x => (double)x)];
        double[] m = new double[p.Length];
        double[] v = [.. Enumerable.Repeat(v0, p.Length)];
        foreach (var g in gradients)
        {
            yogi.Step(parameters, g);
            for (int i = 0; i < p.Length; i++)
            {
                double g2 = (double)g[i] * g[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] -= (1 - beta2) * Math.Sign(v[i] - g2) * g2;
                p[i] -= lr * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            double error = GoldenData.MaxError(parameters, [.. p.Select(x => (float)x)]);
            Assert.True(error <= 1e-5, $"error {error:E2}");
        }
    }

    [Fact]
    public void DefaultsAreThoseOfFedYogi()
    {
        var yogi = new Yogi();
        Assert.Equal(1e-2f, yogi.LearningRate);
        Assert.Equal(0.9, yogi.Beta1);
        Assert.Equal(0.99, yogi.Beta2);
        Assert.Equal(1e-3, yogi.Eps);
        Assert.Equal(1e-6, yogi.InitialAccumulatorValue);
    }

    [Fact]
    public void SecondMomentMovesTowardTheSquaredGradientAndStaysWhenEqual()
    {
        var yogi = new Yogi(0.1f, initialAccumulatorValue: 4);
        float[] p = [0, 0, 0];
        yogi.Step(p, [1, 2, 3]);
        var v = yogi.State[1];
        // v − g² > 0 lowers v, = 0 leaves it, < 0 raises it, each by (1 − β2)·g².
        Assert.Equal(4 - 0.01f * 1, v[0], 1e-6f);
        Assert.Equal(4f, v[1]);
        Assert.Equal(4 + 0.01f * 9, v[2], 1e-6f);
        Assert.All(p, x => Assert.True(x < 0));
    }
}
