using Cohort.Transport.Durability;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

public class DurabilityTests
{
    [Fact]
    public async Task AServerStoppedTwiceMidRunResumesAndEndsWithTheSimulatedModel()
    {
        var config = SmallMnist.Config("partition.clients=4", "clients_per_round=3", "rounds=4", "client.epochs=1");
        using var run = LoopbackRun.Prepare(config);
        var (simulated, temp, folders, tokens) = run;
        string state = Path.Combine(temp.Path, "state");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        ServerOptions Durable(ServerOptions o) => o with { StateFolder = state };

        var server = await LoopbackRun.StartAsync(config, tokens, Durable);
        int port = server.Address.Port;
        var clients = folders.Select((folder, k) => Task.Run(() => LoopbackRun.JoinAsync(server.Address, tokens[k], folder, cancel.Token))).ToArray();
        // Stopped once in round 2 and once in round 3, with some of the round's updates in.
        foreach (long stopAfter in new[] { 4L, 3L })
        {
            while (server.Cohort.Counters.Accepted < stopAfter)
            {
                await Task.Delay(5, cancel.Token);
            }
            await server.DisposeAsync();
            server = await LoopbackRun.StartAsync(config, tokens, Durable, port);
        }
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
        Assert.Equal(simulated, server.Simulation.Server.Global);
        // The last server's rounds include the one it resumed: its training loss counts the updates restored from the records too.
        Assert.NotEmpty(server.Simulation.History);
        foreach (var round in server.Simulation.History)
        {
            Assert.Equal(run.SimulatedMetrics[round.Round - 1].TrainLoss, round.TrainLoss);
        }
        await server.DisposeAsync();

        using var store = ServerStore.Open(state);
        Assert.True(store.Finished);
        Assert.Equal(4, store.CompletedRound);
        // Every round's three updates on record, each once (the key is round and client).
        var accepted = store.Accepted();
        Assert.Equal(4 * 3, accepted.Count);
        Assert.All(Enumerable.Range(1, 4), r => Assert.Equal(3, accepted.Count(u => u.Round == r)));
        Assert.True(ServerStore.IsFinished(state));
    }
}
