using Cohort.Federated.Compression;

namespace Cohort.Federated.Tests.Compression;

/// <summary>
/// Over M independent draws, each coordinate's mean must lie within 5 standard errors of the input,
/// using the code's variance bound; and the draws' variance must respect that bound. A biased code
/// misses by far more (checked with top-k against the same test).
/// </summary>
public class UnbiasednessTests
{
    private const int N = 64, Draws = 2000;

    /// <summary>Each coordinate's |mean − x| in standard errors, and the worst ratio of its variance to the bound.</summary>
    private static (double Bias, double Variance) Measure(ICompressor compressor, float[] input, Func<int, double> bound)
    {
        var sum = new double[N];
        var squares = new double[N];
        for (int d = 0; d < Draws; d++)
        {
            var (_, decoded) = Codes.Send(compressor, input, (ulong)d + 1);
            for (int i = 0; i < N; i++)
            {
                sum[i] += decoded[i];
                squares[i] += ((double)decoded[i] - input[i]) * (decoded[i] - input[i]);
            }
        }
        double bias = 0, variance = 0;
        for (int i = 0; i < N; i++)
        {
            double b = bound(i);
            double error = Math.Abs(sum[i] / Draws - input[i]);
            bias = Math.Max(bias, b == 0 ? (error == 0 ? 0 : double.PositiveInfinity) : error / Math.Sqrt(b / Draws));
            variance = Math.Max(variance, b == 0 ? 0 : squares[i] / Draws / b);
        }
        return (bias, variance);
    }

    private static float[] Input() => Codes.Normal(N, 11);

    [Fact]
    public void QsgdIsUnbiasedWithinItsLevelSpacing()
    {
        var input = Input();
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(input);
        double width = norm / 4.0;
        var (bias, variance) = Measure(CompressorTable.Create("qsgd", "compression.uplink.s=4"), input, _ => width * width / 4);
        Assert.InRange(bias, 0, 5);
        Assert.InRange(variance, 0.01, 1.05);
    }

    [Fact]
    public void QsgdWithAnotherNormIsUnbiased()
    {
        var input = Input();
        double norm = Math.Pow(input.Sum(v => Math.Pow(Math.Abs(v), 3)), 1 / 3.0);
        double width = norm / 4.0;
        var (bias, variance) = Measure(CompressorTable.Create("qsgd", "compression.uplink.s=4", "compression.uplink.p=3"), input, _ => width * width / 4);
        Assert.InRange(bias, 0, 5);
        Assert.InRange(variance, 0.01, 1.05);
    }

    [Fact]
    public void TernGradIsUnbiased()
    {
        var input = Input();
        float max = input.Max(MathF.Abs);
        var (bias, variance) = Measure(CompressorTable.Create("terngrad"), input, _ => max * (double)max / 4);
        Assert.InRange(bias, 0, 5);
        Assert.InRange(variance, 0.5, 1.05);
    }

    [Fact]
    public void StochasticRoundingIsUnbiased()
    {
        var input = Input();
        double width = (input.Max() - input.Min()) / 7.0;
        var (bias, variance) = Measure(CompressorTable.Create("stochastic-rounding", "compression.uplink.bits=3"), input, _ => width * width / 4);
        Assert.InRange(bias, 0, 5);
        Assert.InRange(variance, 0.01, 1.05);
    }

    [Fact]
    public void NaturalCompressionIsUnbiasedWithVarianceAnEighthOfTheSquare()
    {
        var input = Input();
        var (bias, variance) = Measure(CompressorTable.Create("natural"), input, i => input[i] * (double)input[i] / 8);
        Assert.InRange(bias, 0, 5);
        Assert.InRange(variance, 0.01, 1.05);
    }

    [Fact]
    public void RandKIsUnbiasedAndTopKIsNot()
    {
        var input = Input();
        Func<int, double> bound = i => input[i] * (double)input[i] * (N / 8.0 - 1);
        var (bias, variance) = Measure(CompressorTable.Create("randk", "compression.uplink.k=8"), input, bound);
        Assert.InRange(bias, 0, 5);
        Assert.InRange(variance, 0.8, 1.2);
        var (topkBias, _) = Measure(CompressorTable.Create("topk", "compression.uplink.k=8"), input, bound);
        Assert.True(topkBias > 10, $"top-k's bias is {topkBias} standard errors");
    }
}
