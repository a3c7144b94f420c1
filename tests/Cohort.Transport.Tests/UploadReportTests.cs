using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>What the server takes from an upload beyond its values: the bytes it counts itself, a bounded loss, a refusal that answers the whole request, a replay after the round closed.</summary>
public class UploadReportTests
{
    [Fact]
    public async Task DenseBytesAreCountedByTheServerAndAForgedLossIsRefused()
    {
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
        var (server, client, task) = await OneClientsTask(cancel, "eval.clients=false");
        await using var stopping = server;
        using var closing = client;
        var update = new float[task.Model.Parameters];
        // A loss sum of 10⁹ over one batch would set the round's train_loss to 10⁹.
        var forged = new UpdateHeader { TaskId = task.TaskId, Round = task.Round, Length = task.Model.Parameters, Samples = 50, Batches = 1, LossSum = 1e9 };
        var refused = await Assert.ThrowsAsync<ServerRejectedException>(() => client.UploadAsync(forged, update, cancel));
        Assert.Equal(422, refused.Status);
        Assert.Contains("exceeds the server's bound 1000", refused.Message, StringComparison.Ordinal);

        // Seven bytes claimed for a dense update: the round counts the four bytes a value the server read.
        var header = new UpdateHeader(forged) { LossSum = 2.5, UplinkBytes = 7 };
        Assert.True((await client.UploadAsync(header, update, cancel)).Accepted);
        await server.Completion.WaitAsync(cancel);
        var round = Assert.Single(server.Run.History);
        Assert.Equal(4 * task.Model.Parameters, round.BytesUp);
        Assert.Equal(2.5, round.TrainLoss);

        // The upload that closed the round, sent again once the round is closed: a replay (403), as inside the round.
        var replay = await Assert.ThrowsAsync<ServerRejectedException>(() => client.UploadAsync(header, update, cancel));
        Assert.Equal(403, replay.Status);
        Assert.Contains("already accepted", replay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedUploadIsReadToItsEndBeforeTheAnswer()
    {
        // A model larger than a stream's flow-control window (256 KiB): refused unread, the client could not finish sending.
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
        var (server, client, task) = await OneClientsTask(cancel, "model=mlp");
        await using var stopping = server;
        using var closing = client;
        Assert.True(4 * task.Model.Parameters > 256 * 1024, $"{task.Model.Parameters} parameters");
        var header = new UpdateHeader { TaskId = "forged", Round = task.Round, Length = task.Model.Parameters, Samples = 50 };
        var values = new float[task.Model.Parameters];
        bool sentWhole = false;
        var (status, reason) = await Answers.Of(() => client.UploadPartsAsync(async (parts, token) =>
        {
            await Answers.Upload(header, values)(parts, token);
            sentWhole = true;
        }, cancel));
        Assert.Equal(403, status);
        Assert.Contains("was not issued", reason, StringComparison.Ordinal);
        Assert.True(sentWhole, "the client could not send its whole body before the refusal");
    }

    /// <summary>A one-round run of one client, registered with 50 samples, and its training task.</summary>
    private static async Task<(Server.DeployedServer Server, ProtocolClient Client, WorkTask Task)> OneClientsTask(CancellationToken cancel, string setting)
    {
        // The client is driven call by call: no gradient diagnostics to answer after the round.
        var config = SmallMnist.Config("partition.clients=1", "clients_per_round=1", "rounds=1", "diagnostics.enabled=false", setting);
        var tokens = LoopbackRun.Tokens(1);
        var server = await LoopbackRun.StartAsync(config, tokens);
        var client = new ProtocolClient(server.Address, tokens[0]);
        await client.RegisterAsync(new RegisterRequest { TrainSamples = 50 }, cancel);
        return (server, client, await client.NextTaskAsync(5, cancel));
    }
}
