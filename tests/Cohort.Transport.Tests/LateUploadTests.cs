using Cohort.Transport.Client;
using Cohort.Transport.Server;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>An asynchronous method's deployed server takes an update computed from an earlier round's model into the open round, weighted by its staleness; a synchronous one refuses it (409).</summary>
public class LateUploadTests
{
    [Theory]
    [InlineData("fedbuff", true)]
    [InlineData("fedavg", false)]
    public async Task AnUpdateFromTheLastRoundIsTakenOnlyByAnAsynchronousMethod(string method, bool asynchronous)
    {
        string[] fedbuff = ["algorithm.buffer_size=1", "algorithm.concurrency=2", "algorithm.max_staleness=1"];
        var config = SmallMnist.Config([.. asynchronous ? fedbuff : [], $"algorithm.name={method}", "partition.clients=2", "clients_per_round=2", "rounds=2", "client.steps=2", "eval.clients=false"]);
        using var run = LoopbackRun.Prepare(config);
        // Round 1 closes at its deadline with client 0's update alone; client 1's comes in round 2.
        var rules = new RoundRules(TimeSpan.FromSeconds(2), MinClients: 1);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Rules = rules });
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using var zero = new ProtocolClient(server.Address, run.Tokens[0]);
        using var one = new ProtocolClient(server.Address, run.Tokens[1]);
        var trainers = new ClientTrainer[2];
        foreach (var (client, k) in new[] { (zero, 0), (one, 1) })
        {
            var settings = await client.SettingsAsync(cancel);
            trainers[k] = new ClientTrainer(ClientData.Load(run.Folders[k], settings.Data, k), k);
            await client.RegisterAsync(new RegisterRequest { TrainSamples = trainers[k].TrainSamples }, cancel);
        }
        async Task<ClientUpload> Train(ProtocolClient client, int k, int round)
        {
            var task = await client.NextTaskAsync(5, cancel);
            while (task.Kind != WorkTask.Types.Kind.Train || task.Round != round)
            {
                task = await client.NextTaskAsync(5, cancel);
            }
            var broadcast = trainers[k].Broadcast(task);
            await client.DownloadAsync(task, broadcast, cancel);
            return trainers[k].Train(task, broadcast);
        }
        var late = await Train(one, 1, round: 1);
        Assert.True((await zero.UploadAsync(await Train(zero, 0, round: 1), cancel)).Accepted);
        var fresh = await Train(zero, 0, round: 2);

        var (status, reason) = await Answers.Of(() => one.UploadPartsAsync(Answers.Upload(late.Header, late.Update.ToArray()), cancel));
        if (!asynchronous)
        {
            Assert.True(status == 409 && reason.Contains("is not open", StringComparison.Ordinal), $"{status} {reason}");
            return;
        }
        Assert.True(status == 200, $"{status} {reason}");
        Assert.True((await zero.UploadAsync(fresh, cancel)).Accepted);
        await server.Completion.WaitAsync(cancel);
        // Round 2 took client 1's update from round 1's model (staleness 1) and client 0's fresh one.
        Assert.Equal(0.0, server.Run.History[0].Extra["staleness"]);
        Assert.Equal(1, server.Run.History[0].Clients);
        Assert.Equal(0.5, server.Run.History[1].Extra["staleness"]);
        Assert.Equal(2, server.Run.History[1].Clients);
        foreach (var t in trainers)
        {
            t.Dispose();
        }
    }
}
