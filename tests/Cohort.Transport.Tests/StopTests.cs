using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

public class StopTests
{
    [Fact]
    public async Task AStoppingServerHandsOutNoNewTasks()
    {
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2");
        var tokens = LoopbackRun.Tokens(2);
        await using var server = await LoopbackRun.StartAsync(config, tokens);
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
        using var first = new ProtocolClient(server.Address, tokens[0]);
        using var second = new ProtocolClient(server.Address, tokens[1]);
        await first.RegisterAsync(new RegisterRequest { TrainSamples = 50 }, cancel);
        await second.RegisterAsync(new RegisterRequest { TrainSamples = 50 }, cancel);
        var task = await first.NextTaskAsync(5, cancel);
        Assert.Equal(WorkTask.Types.Kind.Train, task.Kind);

        // The first step of a stop: the round stays open, but the second client's task is not handed out.
        server.Cohort.StopHandingOutTasks();
        var after = await second.NextTaskAsync(5, cancel);
        Assert.Equal(WorkTask.Types.Kind.Wait, after.Kind);
        Assert.Equal(WorkTask.Types.Kind.Wait, (await first.NextTaskAsync(1, cancel)).Kind);
        Assert.False(server.Completion.IsCompleted);
    }
}
