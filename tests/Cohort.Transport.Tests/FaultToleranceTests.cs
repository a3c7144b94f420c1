using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

public class FaultToleranceTests
{
    [Fact]
    public async Task ADeadlineClosesRoundsWithTheClientsThatReportedWhenOneNeverComes()
    {
        var config = SmallMnist.Config("partition.clients=3", "clients_per_round=3", "rounds=2", "client.steps=2");
        using var run = LoopbackRun.Prepare(config);
        var rules = new RoundRules(TimeSpan.FromMilliseconds(600), MinClients: 2);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Rules = rules, StartClients = 2 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Client 2 never joins.
        var clients = Enumerable.Range(0, 2).Select(k => Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[k], run.Folders[k], cancel.Token))).ToArray();
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
        var summary = await server.Completion;
        Assert.Equal(2, summary.RoundsRun);
        Assert.Equal(2 * 2, server.Cohort.Counters.Accepted);
        Assert.All(server.Run.History, m => Assert.Equal(2, m.Clients));
    }

    [Fact]
    public async Task OverSelectedRoundsTakeTheFirstCohortSizeUpdatesAndRefuseTheRestAsLate()
    {
        var config = SmallMnist.Config("partition.clients=4", "clients_per_round=2", "rounds=3", "client.steps=2");
        using var run = LoopbackRun.Prepare(config);
        var rules = new RoundRules(null, 1, OverSelect: 1.0);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Rules = rules });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clients = Enumerable.Range(0, 4).Select(k => Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[k], run.Folders[k], cancel.Token))).ToArray();
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
        Assert.Equal(3, (await server.Completion).RoundsRun);
        // Two per round taken, whoever came first; any other upload was refused, none counted.
        Assert.Equal(3 * 2, server.Cohort.Counters.Accepted);
        Assert.All(server.Run.History, m => Assert.Equal(2, m.Clients));
        Assert.All(server.Cohort.Counters.Rejected > 0 ? [server.Cohort.Counters.LastRejection!] : Array.Empty<string>(), r => Assert.Contains("late", r, StringComparison.Ordinal));
    }
}
