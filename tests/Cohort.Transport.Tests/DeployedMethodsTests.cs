using Cohort.Federated.Config;

namespace Cohort.Transport.Tests;

/// <summary>
/// Methods with more than the update on the wire (several exchanges, uplink vectors and scalars, downlink
/// vectors, client state) and compressed uplinks, deployed on loopback: the same model bit for bit as
/// simulated, and the same bytes up and down and client accuracies (scored by the clients) in every round's metrics.
/// </summary>
public class DeployedMethodsTests
{
    [Theory]
    [InlineData("algorithm.name=scaffold")]
    [InlineData("algorithm.name=mime")]
    [InlineData("algorithm.name=mimelite")]
    [InlineData("algorithm.name=fednova", "client.tau.distribution=uniform", "client.tau.min=2", "client.tau.max=6")]
    [InlineData("algorithm.name=qffl")]
    [InlineData("algorithm.name=feddyn")]
    public async Task MethodsWithMoreThanTheUpdateOnTheWireGiveTheSimulatedModel(params string[] method)
    {
        // Local work is 4 steps unless the case draws τᵢ itself.
        string[] work = method.Any(m => m.StartsWith("client.tau", StringComparison.Ordinal)) ? [] : ["client.steps=4"];
        await using var server = await DeployedEquals(SmallMnist.Config([.. method, .. work, "rounds=3"]));
    }

    [Theory]
    [InlineData("compression.uplink.name=qsgd", "compression.uplink.error_feedback=ef")]
    [InlineData("compression.uplink.name=topk", "compression.uplink.k=0.05", "compression.uplink.error_feedback=ef21")]
    [InlineData("compression.uplink.name=sign", "compression.uplink.error_feedback=ef")]
    [InlineData("compression.uplink.name=lazy", "compression.uplink.lazy_ratio=0.9")]
    [InlineData("algorithm.name=diana", "compression.uplink.name=qsgd")]
    [InlineData("algorithm.name=marina", "compression.uplink.name=randk", "clients_per_round=4", "algorithm.sync_probability=0.3")]
    [InlineData("algorithm.name=scaffold", "compression.uplink.name=int8")]
    [InlineData("algorithm.name=mime", "compression.uplink.name=topk", "compression.uplink.k=0.05", "compression.uplink.error_feedback=ef21", "clients_per_round=3")]
    [InlineData("algorithm.name=mime", "compression.uplink.name=lazy", "compression.uplink.lazy_ratio=0.9")]
    public async Task CompressedUplinksTravelAsTheirFramesAndGiveTheSimulatedModel(params string[] settings)
    {
        var server = await DeployedEquals(SmallMnist.Config([.. settings, "rounds=3", "client.steps=4"]));
        await using (server)
        {
            // What the server took off the wire is what the simulation counts: the frames (and dense vectors beside them), byte for byte.
            Assert.Equal(server.Run.History.Sum(m => m.BytesUp), server.Cohort.Counters.BytesAccepted);
            int vectors = 1 + server.Run.Algorithm.Uplink.Vectors.Count;
            long dense = 4L * server.Run.Server.Global.Length * vectors * server.Cohort.Counters.Accepted;
            Assert.True(server.Cohort.Counters.BytesAccepted < dense, $"compressed uploads took {server.Cohort.Counters.BytesAccepted} bytes, dense ones {dense}");
        }
    }

    [Theory]
    [InlineData("compression.uplink.error_feedback=ef")]
    [InlineData("algorithm.name=fedprox", "compression.uplink.rank=1")]
    public async Task PowerSgdRunsItsTwoExchangesOverTheWireAndGivesTheSimulatedModel(params string[] settings)
    {
        var server = await DeployedEquals(SmallMnist.Config([.. settings, "compression.uplink.name=powersgd", "rounds=3", "client.steps=4"]));
        await using (server)
        {
            // logreg (10 × 784 and 10 biases): P and the biases, then Q, dense float32, two uploads a client a round.
            int rank = settings.Contains("compression.uplink.rank=1") ? 1 : 2;
            Assert.Equal(server.Run.History.Sum(m => m.BytesUp), server.Cohort.Counters.BytesAccepted);
            Assert.Equal(3 * 3 * 4L * ((10 + 784) * rank + 10), server.Cohort.Counters.BytesAccepted);
            Assert.Equal(2 * 3 * 3, server.Cohort.Counters.Accepted);
        }
    }

    [Theory]
    [InlineData("compression.downlink.name=int8")]
    [InlineData("compression.downlink.name=topk", "compression.downlink.k=0.1", "compression.uplink.name=qsgd", "algorithm.name=scaffold")]
    public async Task CompressedBroadcastsToClientsInEveryRoundGiveTheSimulatedModelAndBytes(params string[] settings)
    {
        // Every client in every round: each holds the last round's view, so each gets the difference, as simulated.
        var server = await DeployedEquals(SmallMnist.Config([.. settings, "clients_per_round=4", "rounds=3", "client.steps=4"]));
        await using (server)
        {
            // Less than the dense model (and the method's dense vectors beside it) to each of the 4 clients.
            long dense = 4L * server.Run.Server.Global.Length * 4 * (1 + server.Run.Algorithm.Downlink(0).Count);
            Assert.All(server.Run.History, m => Assert.True(m.BytesDown < dense, $"round {m.Round}: {m.BytesDown} bytes down"));
        }
    }

    [Fact]
    public async Task AClientThatMissedARoundGetsTheDenseViewAndTrainsFromTheSimulatedModel()
    {
        var config = SmallMnist.Config("compression.downlink.name=topk", "compression.downlink.k=0.1", "clients_per_round=2", "rounds=4", "client.steps=4");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        // Every client trains from the view the simulation's clients train from, whichever form it came in.
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        var simulated = run.SimulatedMetrics.Select(m => m.BytesDown).ToArray();
        var deployed = server.Run.History.Select(m => m.BytesDown).ToArray();
        // The simulation counts a difference for everyone; here a client back after missing a round got the model dense.
        Assert.All(simulated.Zip(deployed), p => Assert.True(p.Second >= p.First, $"{p.Second} bytes down deployed, {p.First} simulated"));
        Assert.True(deployed.Sum() > simulated.Sum());
        Assert.Equal(simulated[0], deployed[0]);
    }

    /// <summary>Simulates, then serves the experiment on loopback to one joined client per partition; checks model and bytes against the simulation and returns the finished server.</summary>
    private static async Task<Server.DeployedServer> DeployedEquals(ExperimentConfig config)
    {
        using var run = LoopbackRun.Prepare(config);
        var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        var deployed = server.Run.History;
        Assert.Equal(run.SimulatedMetrics.Select(m => (m.Round, m.BytesUp, m.BytesDown, m.TrainLoss, m.ClientAccuracy)), deployed.Select(m => (m.Round, m.BytesUp, m.BytesDown, m.TrainLoss, m.ClientAccuracy)));
        return server;
    }
}
