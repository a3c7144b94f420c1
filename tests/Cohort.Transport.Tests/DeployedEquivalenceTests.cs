using Cohort.Federated.Config;
using Cohort.Federated.Data;
using Cohort.Federated.Engine;

namespace Cohort.Transport.Tests;

public class DeployedEquivalenceTests
{
    [Fact]
    public async Task DeployedRunGivesTheSimulatedModelBitForBit()
    {
        var config = SmallMnist.Config("model=mlp", "partition.kind=dirichlet", "partition.alpha=0.5", "rounds=3", "client.epochs=1");
        using var run = LoopbackRun.Prepare(config);
        var (simulated, _, folders, tokens) = run;
        await using var server = await LoopbackRun.StartAsync(config, tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clients = folders.Select((folder, k) => Task.Run(() => LoopbackRun.JoinAsync(server.Address, tokens[k], folder, cancel.Token))).ToArray();
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
        var summary = await server.Completion;

        Assert.Equal(3, summary.RoundsRun);
        Assert.Equal(3 * 3, server.Cohort.Counters.Accepted);
        Assert.Equal(simulated, server.Simulation.Server.Global);
        // And it trained: the model moved from its initial values.
        using var untrained = new Simulation(Experiment.From(config), FederatedData.Load(config));
        Assert.NotEqual(untrained.Server.Global, server.Simulation.Server.Global);
    }
}
