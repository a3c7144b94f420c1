using Cohort.Federated.Config;
using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>Updates whose vectors, scalars or compressed message do not fit the method get a 4xx with the reason, and change nothing.</summary>
public class UploadLayoutRefusalTests
{
    [Fact]
    public async Task UplinkVectorsAndScalarsThatDoNotFitTheMethodAreRefused()
    {
        await using var session = await Session.StartAsync(SmallMnist.Config("diagnostics.enabled=false", "algorithm.name=scaffold", "partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3"));
        var good = session.Upload;
        var delta = good.Vectors[0];
        int length = delta.Length;
        await session.Refused(422, "sends no vectors besides the update; algorithm scaffold sends scaffold.delta_c", good with { Header = Without(good.Header), Vectors = [] });
        var shortVector = new UpdateHeader(good.Header);
        shortVector.Vectors[0].Length = length - 1;
        await session.Refused(422, "scaffold.delta_c (" + (length - 1) + " values)", good with { Header = shortVector, Vectors = [delta[..^1]] });
        var renamed = new UpdateHeader(good.Header);
        renamed.Vectors[0].Name = "scaffold.c";
        await session.Refused(422, "algorithm scaffold sends scaffold.delta_c, in that order", good with { Header = renamed });
        var twice = new UpdateHeader(good.Header);
        twice.Vectors.Add(twice.Vectors[0]);
        await session.Refused(422, "algorithm scaffold sends scaffold.delta_c", good with { Header = twice, Vectors = [delta, delta] });
        // The drift measurement's vector and scalar, where the round does not ask for them.
        var drift = new UpdateHeader(good.Header);
        drift.Vectors.Add(new VectorSpec { Name = "diagnostics.local", Length = length });
        drift.Scalars["diagnostics.update_norm"] = 1;
        await session.Refused(422, "diagnostics.local (" + length + " values) besides the update; algorithm scaffold sends scaffold.delta_c, in that order", good with { Header = drift, Vectors = [delta, delta] });
        var scalar = new UpdateHeader(good.Header);
        scalar.Scalars["fednova.a"] = 3;
        await session.Refused(422, "sends scalars fednova.a; algorithm scaffold sends none", good with { Header = scalar });
        var poisoned = delta.ToArray();
        poisoned[17] = float.PositiveInfinity;
        await session.Refused(422, "is not finite", good with { Vectors = [poisoned] });
        // The header promises the vector, the body ends before it.
        await session.Refused(400, "truncated", good with { Vectors = [] });
        var compressed = new UpdateHeader(good.Header) { MessageBytes = 100 };
        await session.Refused(422, "this run's uplink is not compressed", good with { Header = compressed });
        await session.AcceptsAndEndsOnTheSimulatedModel();
    }

    [Fact]
    public async Task CompressedUpdatesThatDoNotFitTheRunAreRefused()
    {
        await using var session = await Session.StartAsync(SmallMnist.Config("diagnostics.enabled=false", "compression.uplink.name=qsgd", "compression.uplink.error_feedback=ef", "partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3"));
        var good = session.Upload;
        var frame = good.Message.ToArray();
        await session.Refused(422, "this run's uplink is compressed", ClientUpload.Dense(new UpdateHeader(good.Header) { MessageBytes = 0, Length = session.Parameters }, new float[session.Parameters]));
        var otherId = frame.ToArray();
        otherId[0] = 12;
        await session.Refused(422, "compressor id 12; this run's uplink sends qsgd", good with { Message = otherId });
        var cut = frame[..^3];
        await session.Refused(422, "the qsgd message does not decode", good with { Header = new UpdateHeader(good.Header) { MessageBytes = cut.Length, UplinkBytes = cut.Length }, Message = cut });
        await session.Refused(422, "uplink bytes for a message of", good with { Header = new UpdateHeader(good.Header) { UplinkBytes = 7 } });
        await session.Refused(400, "truncated", good with { Header = new UpdateHeader(good.Header) { MessageBytes = frame.Length + 10, UplinkBytes = frame.Length + 10 } });
        await session.Refused(413, "exceeds the limit", good with { Header = new UpdateHeader(good.Header) { MessageBytes = 1L << 30, UplinkBytes = 1L << 30 } });
        await session.AcceptsAndEndsOnTheSimulatedModel();
    }

    [Fact]
    public async Task PowerSgdFactorsOfAnotherLengthAreRefused()
    {
        await using var session = await Session.StartAsync(SmallMnist.Config("compression.uplink.name=powersgd", "partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3"));
        var good = session.Upload;
        // logreg at rank 2: P (10 × 2) and the 10 biases in exchange 0.
        Assert.Equal((30L, 0L), (good.Header.Length, good.Header.MessageBytes));
        var modelSized = new UpdateHeader(good.Header) { Length = session.Parameters };
        await session.Refused(422, "update: 7850 values; exchange 0 of fedavg with PowerSGD sends 30.", ClientUpload.Dense(modelSized, new float[session.Parameters]));
        await session.Refused(422, "this run's uplink is not compressed; send the 30 values dense", good with { Header = new UpdateHeader(good.Header) { MessageBytes = 100 } });
    }

    private static UpdateHeader Without(UpdateHeader header)
    {
        var copy = new UpdateHeader(header);
        copy.Vectors.Clear();
        return copy;
    }

    /// <summary>A two-client run where client 0 has trained its task and holds the upload; client 1 stays idle until the end.</summary>
    internal sealed class Session : IAsyncDisposable
    {
        private readonly PreparedRun _run;
        private readonly Server.DeployedServer _server;
        private readonly ProtocolClient[] _clients;
        private readonly ClientTrainer[] _trainers;
        private readonly CancellationTokenSource _cancel = new(TimeSpan.FromSeconds(60));

        private Session(PreparedRun run, Server.DeployedServer server, ProtocolClient[] clients, ClientTrainer[] trainers)
        {
            (_run, _server, _clients, _trainers) = (run, server, clients, trainers);
        }

        public ClientUpload Upload { get; private set; } = null!;

        public int Parameters => _server.Run.Server.Global.Length;

        /// <param name="config">The run.</param>
        /// <param name="firstClientState">Where client 0 keeps its state (null: a temporary folder).</param>
        public static async Task<Session> StartAsync(ExperimentConfig config, ClientStateFolder? firstClientState = null)
        {
            var run = LoopbackRun.Prepare(config);
            var server = await LoopbackRun.StartAsync(config, run.Tokens);
            var clients = Enumerable.Range(0, 2).Select(k => new ProtocolClient(server.Address, run.Tokens[k])).ToArray();
            var trainers = new ClientTrainer[2];
            var session = new Session(run, server, clients, trainers);
            for (int k = 0; k < 2; k++)
            {
                var settings = await clients[k].SettingsAsync(session._cancel.Token);
                trainers[k] = new ClientTrainer(ClientData.Load(run.Folders[k], settings.Data, k), k, k == 0 ? firstClientState : null);
                await clients[k].RegisterAsync(new RegisterRequest { TrainSamples = trainers[k].TrainSamples }, session._cancel.Token);
            }
            session.Upload = await session.TrainAsync(0);
            return session;
        }

        public async Task Refused(int status, string words, ClientUpload upload)
        {
            var (code, text) = await Answers.Of(() => _clients[0].UploadAsync(upload, _cancel.Token));
            Assert.True(code == status && text.Contains(words, StringComparison.Ordinal), $"expected {status} '{words}', got {code} '{text}'");
            Assert.Equal(0, _server.Cohort.Counters.Accepted);
        }

        /// <summary>The real uploads of both clients close the round on the simulated model: the refusals changed nothing.</summary>
        public async Task AcceptsAndEndsOnTheSimulatedModel()
        {
            Assert.True((await _clients[0].UploadAsync(Upload, _cancel.Token)).Accepted);
            await _clients[1].UploadAsync(await TrainAsync(1), _cancel.Token);
            await _server.Completion.WaitAsync(_cancel.Token);
            Assert.Equal(_run.Simulated, _server.Run.Server.Global);
        }

        private async Task<ClientUpload> TrainAsync(int k)
        {
            var task = await _clients[k].NextTaskAsync(5, _cancel.Token);
            var broadcast = _trainers[k].Broadcast(task);
            await _clients[k].DownloadAsync(task, broadcast, _cancel.Token);
            return _trainers[k].Train(task, broadcast);
        }

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            foreach (var client in _clients)
            {
                client.Dispose();
            }
            foreach (var trainer in _trainers)
            {
                trainer?.Dispose();
            }
            _run.Dispose();
            _cancel.Dispose();
        }
    }
}
