using Cohort.Federated.Leakage;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Leakage;

/// <summary>The defences change the gradient as the DP stages and the top-k compressor do.</summary>
public sealed class GradientDefenceTests
{
    [Fact]
    public void DpWithoutNoiseClipsToTheNormAndNoiseHasStandardDeviationZC()
    {
        // (3, 4) has norm 5; clipped to C = 2 it is (1.2, 1.6).
        float[] gradient = [3, 4];
        var random = RandomStream.Create(1);
        new DpDefence(2, 0).Apply(gradient, ref random);
        Assert.Equal([1.2f, 1.6f], gradient);

        var zeros = new float[100_000];
        new DpDefence(0.5, 3).Apply(zeros, ref random);
        double variance = zeros.Sum(v => (double)v * v) / zeros.Length;
        Assert.Equal(1.5, Math.Sqrt(variance), 2);
    }

    [Fact]
    public void TopKKeepsTheLargestMagnitudesAndZeroesTheRest()
    {
        float[] gradient = [0.1f, -5, 2, -0.3f, 4, 1];
        var random = RandomStream.Create(1);
        new TopKDefence(0.5).Apply(gradient, ref random);
        Assert.Equal([0, -5, 2, 0, 4, 0], gradient);
    }
}
