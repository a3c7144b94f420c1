using Cohort.Federated.State;
using Cohort.Transport.Client;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

/// <summary>A deployed client's state lives in its folder: it survives the client's restart, and the server's restarts do not advance it twice.</summary>
public class ClientStateTests
{
    /// <summary>A vector of a test component.</summary>
    private static ClientVector V(string name) => new("test", name);

    [Fact]
    public void StagedStateBecomesFinalOnlyWhenTheServerMovesToALaterRound()
    {
        using var temp = SmallMnist.Temp();
        var states = new ClientStateFolder(temp.Path, 3);
        var value = new float[4];
        states.Begin(1, 0);
        states.Write(3, V("c"), [1, 1, 1, 1]);
        states.Begin(1, 1);
        // A later exchange of the round sees what an earlier one wrote.
        Assert.True(states.TryRead(3, V("c"), value));
        states.Write(3, V("c"), [2, 2, 2, 2]);
        // Exchange 1 asked for again: its writes are dropped, exchange 0's kept.
        states.Begin(1, 1);
        Assert.True(states.TryRead(3, V("c"), value));
        Assert.Equal([1f, 1, 1, 1], value);
        // Round 1 asked for again (a server restarted inside it): nothing of it is left.
        states.Begin(1, 0);
        Assert.False(states.TryRead(3, V("c"), value));
        states.Write(3, V("c"), [5, 5, 5, 5]);
        // A restarted client (a new instance on the folder) moving to round 2 makes round 1's state final.
        var restarted = new ClientStateFolder(temp.Path, 3);
        restarted.Begin(2, 0);
        Assert.True(restarted.TryRead(3, V("c"), value));
        Assert.Equal([5f, 5, 5, 5], value);
        restarted.Write(3, V("c"), [6, 6, 6, 6]);
        // A refused upload drops what its training wrote.
        restarted.Drop(2, 0);
        Assert.True(restarted.TryRead(3, V("c"), value));
        Assert.Equal([5f, 5, 5, 5], value);
        Assert.Throws<InvalidOperationException>(() => restarted.TryRead(2, V("c"), value));
        Assert.Throws<InvalidDataException>(() => restarted.TryRead(3, V("c"), new float[3]));
    }

    [Fact]
    public async Task AClientRestartedMidRunKeepsItsScaffoldControlVariate()
    {
        // Every client in every round, so the restarted client's cᵢ is used in each later round.
        var config = SmallMnist.Config("algorithm.name=scaffold", "partition.clients=3", "clients_per_round=3", "rounds=4", "client.steps=4");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var first = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        var zero = Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[0], run.Folders[0], first.Token));
        var others = Enumerable.Range(1, 2).Select(k => Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[k], run.Folders[k], cancel.Token))).ToArray();
        while (server.Run.Server.Round < 2)
        {
            await Task.Delay(5, cancel.Token);
        }
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => zero);
        Assert.True(File.Exists(Path.Combine(LoopbackRun.StateFolderOf(run.Folders[0]), "scaffold.c_i.f32")));
        var again = Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[0], run.Folders[0], cancel.Token));
        await TaskWaits.AllOrFirstFault(others.Append(again).Append(server.Completion), cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
    }

    [Theory]
    // SCAFFOLD's cᵢ on the clients, EF21's gᵢ on both sides, Δc beside the update: a round is redone whole after a restart.
    [InlineData("algorithm.name=scaffold", "compression.uplink.name=topk", "compression.uplink.k=0.05", "compression.uplink.error_feedback=ef21", "clients_per_round=3")]
    // PowerSGD's two exchanges, M and the residual in the clients' folders, Q in the server's checkpoint.
    [InlineData("compression.uplink.name=powersgd", "compression.uplink.error_feedback=ef", "clients_per_round=3")]
    // The compressed broadcast's view in the server's checkpoint, updates recorded mid-round; clients that
    // held the view before the restart get the difference, the restarted ones the view dense.
    [InlineData("compression.downlink.name=topk", "compression.downlink.k=0.1", "clients_per_round=4")]
    public async Task AServerStoppedMidRoundRedoesRoundsOfStatefulMethodsAndEndsWithTheSimulatedModel(params string[] settings)
    {
        var config = SmallMnist.Config([.. settings, "partition.clients=4", "rounds=4", "client.steps=4"]);
        using var run = LoopbackRun.Prepare(config);
        string state = Path.Combine(run.Temp.Path, "server-state");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        ServerOptions Durable(ServerOptions o) => o with { StateFolder = state };
        var server = await LoopbackRun.StartAsync(config, run.Tokens, Durable);
        int port = server.Address.Port;
        var clients = run.Folders.Select((folder, k) => Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[k], folder, cancel.Token))).ToArray();
        // Stopped once some of round 2's updates are in, then once some of round 3's are (or as soon after as the poll sees it).
        foreach (var (round, accepted) in new[] { (2, 1), (3, 2) })
        {
            bool Reached() => server.Run.Server.Round >= round || server.Cohort.Progress() is var (open, reported, _) && (open > round || (open == round && reported >= accepted));
            while (!Reached())
            {
                await Task.Delay(1, cancel.Token);
            }
            await server.DisposeAsync();
            server = await LoopbackRun.StartAsync(config, run.Tokens, Durable, port);
        }
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        await server.DisposeAsync();
    }
}
