using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>Unauthenticated, replayed, malformed, truncated, oversized and invalid requests get their status and reason, and change nothing.</summary>
public class RefusalTests
{
    [Fact]
    public async Task BadRequestsAreRefusedWithReasonsAndTheRunStillMatchesSimulation()
    {
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3", "diagnostics.enabled=false");
        using var run = LoopbackRun.Prepare(config);
        var (simulated, _, folders, tokens) = run;
        tokens[7] = "token-of-a-client-outside-the-experiment";
        await using var server = await LoopbackRun.StartAsync(config, tokens);
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
        using var zero = new ProtocolClient(server.Address, tokens[0]);
        using var one = new ProtocolClient(server.Address, tokens[1]);

        using var nobody = new ProtocolClient(server.Address, "");
        var (status, reason) = await Answers.Of(() => nobody.SettingsAsync(cancel));
        Assert.Equal((401, true), (status, reason.Contains("missing credential", StringComparison.Ordinal)));
        using var stranger = new ProtocolClient(server.Address, "wrong-token");
        (status, reason) = await Answers.Of(() => stranger.RegisterAsync(new RegisterRequest(), cancel));
        Assert.Equal((401, true), (status, reason.Contains("invalid credential", StringComparison.Ordinal)));
        using var outsider = new ProtocolClient(server.Address, tokens[7]);
        (status, reason) = await Answers.Of(() => outsider.SettingsAsync(cancel));
        Assert.Equal((403, true), (status, reason.Contains("outside this experiment", StringComparison.Ordinal)));
        (status, _) = await Answers.Of(() => zero.NextTaskAsync(0, cancel));
        Assert.Equal(409, status);
        Assert.Equal(0, server.Registry.Count);

        var trainers = new ClientTrainer[2];
        foreach (var (client, k) in new[] { (zero, 0), (one, 1) })
        {
            var settings = await client.SettingsAsync(cancel);
            trainers[k] = new ClientTrainer(ClientData.Load(folders[k], settings.Data, k), k);
            await client.RegisterAsync(new RegisterRequest { TrainSamples = trainers[k].TrainSamples }, cancel);
        }
        var task = await zero.NextTaskAsync(5, cancel);
        Assert.Equal(WorkTask.Types.Kind.Train, task.Kind);
        var broadcast = trainers[0].Broadcast(task);
        await zero.DownloadAsync(task, broadcast, cancel);
        var upload = trainers[0].Train(task, broadcast);
        var header = upload.Header;
        var good = upload.Update.ToArray();

        async Task Refused(int expected, string words, Func<Grpc.Core.IClientStreamWriter<UploadPart>, CancellationToken, Task> parts, ProtocolClient? from = null)
        {
            var (code, text) = await Answers.Of(() => (from ?? zero).UploadPartsAsync(parts, cancel));
            Assert.True(code == expected && text.Contains(words, StringComparison.Ordinal), $"expected {expected} '{words}', got {code} '{text}'");
        }
        var Upload = Answers.Upload;
        await Refused(403, "was not issued", Upload(new UpdateHeader(header) { TaskId = "forged" }, good));
        // Another client cannot use this client's task.
        await Refused(403, "was not issued to client 1", Upload(header, good), from: one);
        await Refused(409, "is not open", Upload(new UpdateHeader(header) { Round = 5 }, good));
        await Refused(422, "values for a model of", Upload(new UpdateHeader(header) { Length = good.Length - 1 }, good[..^1]));
        await Refused(422, "registered", Upload(new UpdateHeader(header) { Samples = header.Samples + 1 }, good));
        var poisoned = good.ToArray();
        poisoned[123] = float.NaN;
        await Refused(422, "at position 123 is not finite", Upload(header, poisoned));
        await Refused(400, "truncated", Upload(header, good[..1000]));
        await Refused(400, "expected an UpdateHeader first", (s, c) => s.WriteAsync(new UploadPart { Tensor = new TensorChunk() }, c));
        // One part beyond gRPC's message limit: refused by the server's gRPC layer before any of it is taken. The
        // server answers without reading the rest of the part, so the write can wait on HTTP/2 flow control: the
        // client gives it up within seconds of the answer and reports the server's reason (or, when the stream is
        // reset first, that the call was cut off), well before the call's 10-minute deadline.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await Refused(413, "exceeds the maximum", async (s, c) =>
            {
                await s.WriteAsync(new UploadPart { Header = header }, c);
                await s.WriteAsync(new UploadPart { Tensor = new TensorChunk { Values = Google.Protobuf.ByteString.CopyFrom(new byte[VectorChunks.MaxPartBytes + 1]) } }, c);
            });
        }
        catch (IOException e) when (e.Message.Contains("aborted", StringComparison.Ordinal))
        {
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the oversized upload took {clock.Elapsed} to answer");
        await Refused(400, "the call is empty", (_, _) => Task.CompletedTask);
        Assert.Equal(0, server.Cohort.Counters.Accepted);
        Assert.Equal(10, server.Cohort.Counters.Rejected);

        var accepted = await zero.UploadAsync(header, good, cancel);
        Assert.True(accepted.Accepted);
        await Refused(403, "already accepted", Upload(header, good));
        Assert.Equal(1, server.Cohort.Counters.Accepted);

        // The other client's real update closes the round: the model is the simulated one, refusals changed nothing.
        var other = await one.NextTaskAsync(5, cancel);
        var b1 = trainers[1].Broadcast(other);
        await one.DownloadAsync(other, b1, cancel);
        await one.UploadAsync(trainers[1].Train(other, b1), cancel);
        await server.Completion.WaitAsync(cancel);
        Assert.Equal(simulated, server.Run.Server.Global);
        foreach (var t in trainers)
        {
            t.Dispose();
        }
    }
}
