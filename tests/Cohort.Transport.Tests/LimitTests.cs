using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

public class LimitTests
{
    [Fact]
    public async Task AFloodingClientGets429WhileOthersGoOn()
    {
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2");
        var tokens = LoopbackRun.Tokens(2);
        await using var server = await LoopbackRun.StartAsync(config, tokens, o => o with { RequestsPerSecond = 3 });
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;
        using var flooder = new ProtocolClient(server.Address, tokens[0]);
        // Thirty at once against a bucket of six: most are refused however slow the machine is.
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Answers.Of(() => flooder.SettingsAsync(cancel))));
        Assert.Contains(answers, a => a.Status == 200);
        Assert.True(answers.Count(a => a.Status == 429) >= 20, string.Join(", ", answers.Select(a => a.Status)));
        Assert.All(answers.Where(a => a.Status == 429), a => Assert.Contains("too many requests", a.Reason, StringComparison.Ordinal));
        using var other = new ProtocolClient(server.Address, tokens[1]);
        Assert.Equal(200, (await Answers.Of(() => other.SettingsAsync(cancel))).Status);
    }

    [Fact]
    public async Task AnUpdateAboveTheNormBoundIsRefused()
    {
        var config = SmallMnist.Config("partition.clients=1", "clients_per_round=1");
        var tokens = LoopbackRun.Tokens(1);
        await using var server = await LoopbackRun.StartAsync(config, tokens, o => o with { MaxUpdateNorm = 10 });
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;
        using var client = new ProtocolClient(server.Address, tokens[0]);
        await client.RegisterAsync(new RegisterRequest { TrainSamples = 50 }, cancel);
        var task = await client.NextTaskAsync(5, cancel);
        var header = new UpdateHeader { TaskId = task.TaskId, Round = task.Round, Length = task.Model.Parameters, Samples = 50 };
        var large = Enumerable.Repeat(1f, (int)task.Model.Parameters).ToArray();
        var refused = await Assert.ThrowsAsync<ServerRejectedException>(() => client.UploadAsync(header, large, cancel));
        Assert.Equal(422, refused.Status);
        Assert.Contains("exceeds the server's bound 10", refused.Message, StringComparison.Ordinal);
        var small = new float[large.Length];
        small[0] = 3;
        Assert.True((await client.UploadAsync(header, small, cancel)).Accepted);
    }
}
