using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

/// <summary>Each unbiased compressor's ω (E‖C(x) − x‖² ≤ ω‖x‖²), DIANA's α = 1/(ω + 1) from it, and the methods that need unbiased codes.</summary>
public class VarianceBoundTests
{
    [Theory]
    [InlineData("randk", 100, 3.0)] // d/k − 1 = 100/25 − 1
    [InlineData("natural", 100, 0.125)] // 1/8
    [InlineData("qsgd", 100, 0.390625)] // min(d/s², √d/s) = min(100/256, 10/16), d = 100 < the bucket of 512
    [InlineData("qsgd", 2048, 1.4142135623730951)] // d = 512 (a bucket): min(512/256, √512/16) = √2
    public void DeclaredBoundsAreThePapers(string name, int length, double omega)
    {
        var config = TestExperiments.Config($"compression.uplink.name={name}", "compression.uplink.k=0.25", "compression.uplink.s=16");
        var compressor = CompressorFactory.Create(config, "uplink", Segments.Whole)!;
        Assert.Equal(omega, compressor.VarianceBound(length), 12);
    }

    [Theory]
    [InlineData("compression.uplink.name=randk|compression.uplink.k=0.25")]
    [InlineData("compression.uplink.name=qsgd|compression.uplink.s=2")]
    [InlineData("compression.uplink.name=qsgd|compression.uplink.s=2|compression.uplink.p=1")]
    [InlineData("compression.uplink.name=natural")]
    [InlineData("compression.uplink.name=terngrad")]
    [InlineData("compression.uplink.name=stochastic-rounding|compression.uplink.bits=2")]
    public void MeasuredVarianceStaysWithinTheBound(string settings)
    {
        var compressor = CompressorFactory.Create(TestExperiments.Config(settings.Split('|')), "uplink", Segments.Whole)!;
        var x = Codes.Normal(64, 11);
        double norm2 = x.Sum(v => (double)v * v), error = MeanSquaredError(compressor, x, 400);
        Assert.True(error <= compressor.VarianceBound(x.Length) * norm2 * 1.1, $"{compressor.Name}: E‖C(x) − x‖² ≈ {error}, ω‖x‖² = {compressor.VarianceBound(x.Length) * norm2}");
        Assert.True(error > 0);
    }

    [Fact]
    public void RandKsBoundIsExact()
    {
        // E‖C(x) − x‖² = (d/k − 1)‖x‖² for rand-k with d/k scaling.
        var compressor = new RandK(new SparseCount(16));
        var x = Codes.Normal(64, 12);
        double norm2 = x.Sum(v => (double)v * v), error = MeanSquaredError(compressor, x, 2000);
        Assert.Equal(3.0, compressor.VarianceBound(64));
        Assert.InRange(error / norm2, 3 * 0.9, 3 * 1.1);
    }

    /// <summary>E‖C(x) − x‖² estimated over <paramref name="draws"/> independent streams.</summary>
    private static double MeanSquaredError(ICompressor compressor, float[] x, int draws)
    {
        double error = 0;
        var decoded = new float[x.Length];
        for (int t = 0; t < draws; t++)
        {
            WireRoundTrip.Send(compressor, x, decoded, RandomStream.Create(5, t));
            error += x.Zip(decoded, (a, b) => ((double)a - b) * (a - b)).Sum() / draws;
        }
        return error;
    }

    [Fact]
    public void BiasedCodesDeclareNoBound()
    {
        Assert.True(double.IsNaN(((ICompressor)new TopK(new SparseCount(3))).VarianceBound(10)));
        Assert.True(double.IsNaN(new ScaledSymbols<SignSymbol>(CompressorIds.Sign, "sign", false, Segments.Whole).VarianceBound(10)));
    }

    [Theory]
    [InlineData("compression.uplink.name=randk|compression.uplink.k=2", 8, 0.25)] // ω = 8/2 − 1 = 3
    [InlineData("compression.uplink.name=natural", 8, 8.0 / 9)] // ω = 1/8
    [InlineData("compression.uplink.name=none", 8, 1.0)] // ω = 0
    [InlineData("compression.uplink.name=natural|algorithm.shift_rate=0.3", 8, 0.3)]
    public void DianasShiftRateDefaultsToOneOverOmegaPlusOne(string settings, int length, double alpha)
    {
        var diana = (Diana)AlgorithmFactory.Create(TestExperiments.Config(["algorithm.name=diana", .. settings.Split('|')]));
        Assert.Equal((float)alpha, diana.ShiftRate(length));
    }

    [Theory]
    [InlineData("diana", "topk")]
    [InlineData("diana", "sign")]
    [InlineData("marina", "topk")]
    [InlineData("marina", "fp16")]
    [InlineData("marina", "int8")]
    public void DianaAndMarinaRefuseBiasedCompressors(string method, string compressor)
    {
        var e = Assert.Throws<ConfigException>(() => AlgorithmFactory.Create(TestExperiments.Config($"algorithm.name={method}", $"compression.uplink.name={compressor}", "partition.clients=4", "clients_per_round=4")));
        Assert.Contains($"compression.uplink.name: {compressor} is biased; {method} needs an unbiased compressor", e.Message);
    }
}
