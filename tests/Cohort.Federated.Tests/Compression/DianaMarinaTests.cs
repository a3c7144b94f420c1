using Cohort.Federated.Algorithms;
using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.NN.Optimizers;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests.Compression;

public class DianaMarinaTests
{
    [Fact]
    public void DianaStepMatchesHandComputedValues()
    {
        // Q = top-1. g = (3, −1, 0.5), h = (1, 1, 1): g − h = (2, −2, −0.5); top-1 keeps index 0 (ties to the lower index).
        float[] update = [3, -1, 0.5f], shift = [1, 1, 1];
        int bytes = Diana.ClientStep(new TopK(new SparseCount(1.0 / 3)), 0.5f, update, shift, default);
        Assert.Equal([2f, 0f, 0f], update);
        Assert.Equal([2f, 1f, 1f], shift);
        Assert.Equal(Codes.Framed(3, 1 + 1 + 4), bytes);
        // Server: h = (1, 0, 2), mean m = (2, 0, −4), α = 0.5, half the clients: estimate h + m, h + 0.25·m.
        float[] serverShift = [1, 0, 2], estimate = new float[3];
        Diana.ServerEstimate(0.5f, 0.5, [2, 0, -4], serverShift, estimate);
        Assert.Equal([3f, 0f, -2f], estimate);
        Assert.Equal([1.5f, 0f, 1f], serverShift);
    }

    [Fact]
    public void DianaShiftsConvergeToTheClientsGradientsOnAQuadratic()
    {
        // fᵢ(x) = ½‖x − bᵢ‖²: the update gᵢ = −η(x − bᵢ), at the optimum x* = mean bᵢ it is η(bᵢ − x*).
        const int clients = 4, d = 20;
        const float lr = 0.5f;
        var targets = Enumerable.Range(0, clients).Select(i => Codes.Normal(d, (ulong)i + 40)).ToArray();
        var shifts = Enumerable.Range(0, clients).Select(_ => new float[d]).ToArray();
        var serverShift = new float[d];
        var x = new float[d];
        var compressor = new RandK(new SparseCount(5));
        const float alpha = 0.25f; // 1/(ω + 1) with ω = d/k − 1 = 3
        for (int round = 1; round <= 400; round++)
        {
            var mean = new float[d];
            for (int i = 0; i < clients; i++)
            {
                var update = new float[d];
                for (int j = 0; j < d; j++)
                {
                    update[j] = -lr * (x[j] - targets[i][j]);
                }
                Diana.ClientStep(compressor, alpha, update, shifts[i], RandomStream.Create(1, round, i));
                for (int j = 0; j < d; j++)
                {
                    mean[j] += update[j] / clients;
                }
            }
            var estimate = new float[d];
            Diana.ServerEstimate(alpha, 1, mean, serverShift, estimate);
            for (int j = 0; j < d; j++)
            {
                x[j] += estimate[j];
            }
        }
        for (int j = 0; j < d; j++)
        {
            float optimum = targets.Average(t => t[j]);
            Assert.Equal(optimum, x[j], 1e-3f);
            for (int i = 0; i < clients; i++)
            {
                Assert.Equal(lr * (targets[i][j] - optimum), shifts[i][j], 1e-3f);
            }
            Assert.Equal(shifts.Average(s => s[j]), serverShift[j], 1e-4f);
        }
    }

    private static FederatedRun Run(params string[] settings)
    {
        var data = TestExperiments.MnistSubset(1000, 300);
        var config = TestExperiments.Config(["model=logreg", "partition.clients=4", "clients_per_round=4", "rounds=4", "client.lr=0.5", "seed=5", "threads=2", "eval.clients=false", .. settings]);
        var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void WithoutCompressionMarinaIsFullBatchGradientDescent()
    {
        using var marina = Run("algorithm.name=marina", "algorithm.sync_probability=0.3");
        using var fedsgd = Run("algorithm.name=fedsgd");
        for (int i = 0; i < marina.Server.Global.Length; i += 7)
        {
            Assert.Equal(fedsgd.Server.Global[i], marina.Server.Global[i], 1e-4f);
        }
        Assert.NotEqual(fedsgd.Server.Global, new float[fedsgd.Server.Global.Length]);
    }

    [Fact]
    public void MarinaSendsDenseGradientsOnlyInSyncRounds()
    {
        using var marina = Run("algorithm.name=marina", "algorithm.sync_probability=0.3", "compression.uplink.name=randk", "rounds=6");
        var algorithm = (Marina)marina.Algorithm;
        long dense = 4L * Codes.Framed(7850, 4 * 7850);
        for (int round = 1; round <= 6; round++)
        {
            long up = marina.History[round - 1].BytesUp;
            Assert.True(algorithm.Syncs(round) ? up == dense : up < dense / 20, $"round {round}: {up} bytes");
        }
        Assert.Contains(Enumerable.Range(2, 5), r => !algorithm.Syncs(r));
        Assert.True(marina.History[^1].TestAccuracy > 0.5);
    }

    [Fact]
    public void WithoutCompressionDianaIsFedAvg()
    {
        using var diana = Run("algorithm.name=diana");
        using var fedavg = Run("algorithm.name=fedavg");
        for (int i = 0; i < diana.Server.Global.Length; i += 7)
        {
            Assert.Equal(fedavg.Server.Global[i], diana.Server.Global[i], 1e-4f);
        }
    }

    [Fact]
    public void DianaWithQsgdLearnsAndCutsBytes()
    {
        using var diana = Run("algorithm.name=diana", "compression.uplink.name=qsgd", "compression.uplink.s=4");
        Assert.True(diana.History[^1].TestAccuracy > 0.6, $"accuracy {diana.History[^1].TestAccuracy}");
        Assert.True(diana.History[^1].Extra["compression_ratio_up"] > 4);
    }

    [Theory]
    [InlineData("clients_per_round: marina needs every client", "algorithm.name=marina", "clients_per_round=2")]
    [InlineData("compression.uplink.error_feedback: diana corrects", "algorithm.name=diana", "compression.uplink.name=topk", "compression.uplink.error_feedback=ef")]
    public void MethodsRefuseSettingsTheyCannotHonour(string message, params string[] settings)
    {
        var error = Assert.Throws<ConfigException>(() => AlgorithmFactory.Create(TestExperiments.Config(["partition.clients=4", .. settings])));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerStateHoldsTheShift()
    {
        var server = new ServerState(new float[3], [], new Sgd(1f));
        new Diana(new DenseFloat32(), 0.5f).InitializeServer(server);
        Assert.Equal(new float[3], server.Vector(Diana.ServerShift));
    }

    [Fact]
    public void DianaMovesTheServerShiftByTheCohortsWeightShare()
    {
        // α = 0.5, the cohort holds 1 of 4 units of client weight: h += 0.5·0.25·mean m; x += h + mean m.
        var server = new ServerState(new float[2], [], new Sgd(1f));
        var diana = new Diana(new DenseFloat32(), 0.5f);
        diana.InitializeServer(server);
        server.Vector(Diana.ServerShift)[0] = 1;
        diana.ApplyAggregate(server, new RoundAggregate(0, [4, -8], new Dictionary<string, float[]>(), new Dictionary<string, double>(), 1, 4));
        Assert.Equal([5f, -8f], server.Global);
        Assert.Equal([1.5f, -1f], server.Vector(Diana.ServerShift));
    }
}
