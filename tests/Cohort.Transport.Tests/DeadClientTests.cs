using System.Collections.Concurrent;
using Cohort.Transport.Client;
using Cohort.Transport.Server;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>A client that registers and then goes silent: rounds close at their deadline without it, it is asked to evaluate once and not again, and the server says so.</summary>
public class DeadClientTests
{
    [Fact]
    public async Task ASilentClientIsLeftOutOfLaterEvaluationsAndTheServerLogsTheDeadlines()
    {
        var config = SmallMnist.Config("partition.clients=3", "clients_per_round=2", "rounds=3", "eval.every=1");
        using var run = LoopbackRun.Prepare(config);
        var log = new ConcurrentQueue<string>();
        var rules = new RoundRules(TimeSpan.FromSeconds(2), MinClients: 1);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Rules = rules, Log = log.Enqueue });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // Client 2 registers as a client that scores its test split, then never asks for work.
        using (var silent = new ProtocolClient(server.Address, run.Tokens[2]))
        {
            await silent.RegisterAsync(new RegisterRequest { TrainSamples = 100, TestSamples = 25, ScoresTestSplit = true }, cancel.Token);
        }
        var clients = Enumerable.Range(0, 2).Select(k => Task.Run(() => LoopbackRun.JoinAsync(server.Address, run.Tokens[k], run.Folders[k], cancel.Token)));
        await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);

        var lines = log.ToList();
        // Asked after round 1 and missed it; not asked after rounds 2 and 3, whose evaluations did not wait for it.
        var missed = lines.Where(l => l.Contains("evaluation closed at its deadline", StringComparison.Ordinal)).ToList();
        Assert.Equal(["round 1's evaluation closed at its deadline with 2 of 3 scores; clients 2 are not asked again until heard from."], missed);
        // Each round whose cohort held client 2 closed at its deadline without it, and said so.
        int[] withSilent = [.. Enumerable.Range(1, 3).Where(r => Cohort.Federated.Engine.ClientSampler.Sample(3, 2, 11, r).Contains(2))];
        Assert.Equal(withSilent.Select(r => $"round {r} closed at its deadline with 1 of 2 updates; none from clients 2."), lines.Where(l => l.Contains("closed at its deadline with 1 of 2", StringComparison.Ordinal)));
    }
}
