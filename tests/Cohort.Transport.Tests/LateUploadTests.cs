using Cohort.Federated.Config;
using Cohort.Transport.Client;
using Cohort.Transport.Server;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>An asynchronous method's deployed server takes an update computed from an earlier round's model into the open round, weighted by its staleness; a synchronous one refuses it (409).</summary>
public class LateUploadTests
{
    private static readonly string[] FedBuff = ["algorithm.buffer_size=1", "algorithm.concurrency=2", "algorithm.max_staleness=1"];

    [Theory]
    [InlineData("fedbuff", true)]
    [InlineData("fedavg", false)]
    public async Task AnUpdateFromTheLastRoundIsTakenOnlyByAnAsynchronousMethod(string method, bool asynchronous)
    {
        await using var scene = await TwoClients.StartAsync(SmallMnist.Config([.. asynchronous ? FedBuff : [], $"algorithm.name={method}", "partition.clients=2", "clients_per_round=2", "rounds=2", "client.steps=2", "eval.clients=false"]));
        var late = await scene.Train(1, round: 1);
        Assert.True((await scene.Clients[0].UploadAsync(await scene.Train(0, round: 1), scene.Cancel)).Accepted);
        var fresh = await scene.Train(0, round: 2);

        var (status, reason) = await Answers.Of(() => scene.Clients[1].UploadPartsAsync(Answers.Upload(late.Header, late.Update.ToArray()), scene.Cancel));
        if (!asynchronous)
        {
            Assert.True(status == 409 && reason.Contains("is not open", StringComparison.Ordinal), $"{status} {reason}");
            return;
        }
        Assert.True(status == 200, $"{status} {reason}");
        Assert.True((await scene.Clients[0].UploadAsync(fresh, scene.Cancel)).Accepted);
        await scene.Server.Completion.WaitAsync(scene.Cancel);
        // Round 2 took client 1's update from round 1's model (staleness 1) and client 0's fresh one.
        Assert.Equal(0.0, scene.Server.Run.History[0].Extra["staleness"]);
        Assert.Equal(1, scene.Server.Run.History[0].Clients);
        Assert.Equal(0.5, scene.Server.Run.History[1].Extra["staleness"]);
        Assert.Equal(2, scene.Server.Run.History[1].Clients);
    }

    /// <summary>
    /// FedBuff's buffer takes K updates from any combination of clients (Nguyen et al. 2022): a client's stale
    /// update and its fresh one landing in the same server step both count, each weighted by its own staleness.
    /// </summary>
    [Fact]
    public async Task OneClientsStaleAndFreshUpdatesBothCountInTheSameStep()
    {
        await using var scene = await TwoClients.StartAsync(SmallMnist.Config(["algorithm.name=fedbuff", "algorithm.buffer_size=2", "algorithm.concurrency=2",
            "algorithm.max_staleness=1", "partition.clients=2", "clients_per_round=2", "rounds=2", "client.steps=2", "eval.clients=false"]));
        var stale = await scene.Train(1, round: 1);
        Assert.True((await scene.Clients[0].UploadAsync(await scene.Train(0, round: 1), scene.Cancel)).Accepted);
        // Client 0's round-2 task comes once round 2 is open (its update is never sent): client 1's stale update is late then.
        await scene.Train(0, round: 2);
        Assert.True((await scene.Clients[1].UploadAsync(stale, scene.Cancel)).Accepted);
        Assert.True((await scene.Clients[1].UploadAsync(await scene.Train(1, round: 2), scene.Cancel)).Accepted);
        await scene.Server.Completion.WaitAsync(scene.Cancel);
        Assert.Equal(1, scene.Server.Run.History[0].Clients);
        // Round 2's two updates are both client 1's: staleness 1 and 0, a mean of 0.5.
        Assert.Equal(2, scene.Server.Run.History[1].Clients);
        Assert.Equal(0.5, scene.Server.Run.History[1].Extra["staleness"]);
    }

    /// <summary>A served run with two registered clients; round 1 closes at its 2 s deadline with the updates it has.</summary>
    private sealed class TwoClients : IAsyncDisposable
    {
        private readonly PreparedRun _run;
        private readonly ClientTrainer[] _trainers;

        private TwoClients(PreparedRun run, DeployedServer server, ProtocolClient[] clients, ClientTrainer[] trainers, CancellationToken cancel)
        {
            (_run, Server, Clients, _trainers, Cancel) = (run, server, clients, trainers, cancel);
        }

        public DeployedServer Server { get; }

        public ProtocolClient[] Clients { get; }

        public CancellationToken Cancel { get; }

        public static async Task<TwoClients> StartAsync(ExperimentConfig config)
        {
            var run = LoopbackRun.Prepare(config);
            var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Rules = new RoundRules(TimeSpan.FromSeconds(2), MinClients: 1) });
            var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
            var clients = new[] { new ProtocolClient(server.Address, run.Tokens[0]), new ProtocolClient(server.Address, run.Tokens[1]) };
            var trainers = new ClientTrainer[2];
            for (int k = 0; k < 2; k++)
            {
                var settings = await clients[k].SettingsAsync(cancel);
                trainers[k] = new ClientTrainer(ClientData.Load(run.Folders[k], settings.Data, k), k);
                await clients[k].RegisterAsync(new RegisterRequest { TrainSamples = trainers[k].TrainSamples }, cancel);
            }
            return new TwoClients(run, server, clients, trainers, cancel);
        }

        /// <summary>Client <paramref name="k"/> trains on its task of <paramref name="round"/> (waiting for it) and returns the upload, not sent.</summary>
        public async Task<ClientUpload> Train(int k, int round)
        {
            var task = await Clients[k].NextTaskAsync(5, Cancel);
            while (task.Kind != WorkTask.Types.Kind.Train || task.Round != round)
            {
                task = await Clients[k].NextTaskAsync(5, Cancel);
            }
            var broadcast = _trainers[k].Broadcast(task);
            await Clients[k].DownloadAsync(task, broadcast, Cancel);
            return _trainers[k].Train(task, broadcast);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in Clients)
            {
                client.Dispose();
            }
            foreach (var trainer in _trainers)
            {
                trainer.Dispose();
            }
            await Server.DisposeAsync();
            _run.Dispose();
        }
    }
}
