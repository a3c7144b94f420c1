using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

public class DeployedEquivalenceTests
{
    [Fact]
    public async Task DeployedRunGivesTheSimulatedModelBitForBit()
    {
        var config = SmallMnist.Config("model=mlp", "partition.kind=dirichlet", "partition.alpha=0.5", "rounds=3", "client.epochs=1");
        var (server, summary, simulated) = await Deploy(config);
        await using (server)
        {
            Assert.Equal(3, summary.RoundsRun);
            Assert.Equal(3 * 3, server.Cohort.Counters.Accepted);
            Assert.Equal(simulated, server.Run.Server.Global);
            // And it trained: the model moved from its initial values.
            using var untrained = new FederatedRun(Experiment.From(config), FederatedData.Load(config));
            Assert.NotEqual(untrained.Server.Global, server.Run.Server.Global);
        }
    }

    [Theory]
    [InlineData("fedprox")]
    [InlineData("fedadam")]
    public async Task UpdateOnlyMethodsDeployedGiveTheSimulatedModel(string method)
    {
        var config = SmallMnist.Config($"algorithm.name={method}", "rounds=2", "client.epochs=1");
        var (server, summary, simulated) = await Deploy(config);
        await using (server)
        {
            Assert.Equal(2, summary.RoundsRun);
            Assert.Equal(simulated, server.Run.Server.Global);
        }
    }

    /// <summary>Simulates the experiment, then runs it deployed on loopback with one joined client per partition.</summary>
    private static async Task<(DeployedServer Server, RunSummary Summary, float[] Simulated)> Deploy(ExperimentConfig config)
    {
        using var run = LoopbackRun.Prepare(config);
        var (simulated, _, folders, tokens) = run;
        var server = await LoopbackRun.StartAsync(config, tokens);
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var clients = folders.Select((folder, k) => Task.Run(() => LoopbackRun.JoinAsync(server.Address, tokens[k], folder, cancel.Token))).ToArray();
            await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
            return (server, await server.Completion, simulated);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
