namespace Cohort.Transport.Tests;

/// <summary>The methods with a whole personal model per client, deployed: each client keeps it in its state folder, and the run is the simulated one, personal accuracy included.</summary>
public class OwnPersonalModelsDeployedTests
{
    [Theory]
    [InlineData("ditto", "ditto.v")]
    [InlineData("apfl", "apfl.v")]
    [InlineData("pfedme", "pfedme.theta")]
    [InlineData("perfedavg", "perfedavg.personal")]
    [InlineData("ifca", "ifca.model")]
    [InlineData("l2gd", "l2gd.x")]
    public async Task ClientsKeepTheirPersonalModelsAndGiveTheSimulatedRun(string method, string kept)
    {
        // Every client in every round, as L2GD assumes.
        var config = SmallMnist.Config($"algorithm.name={method}", "clients_per_round=4", "rounds=3", "client.steps=4", "client.lr=0.05");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        string[] personal = ["personal_accuracy_mean", "personal_accuracy_p10", "personal_accuracy_worst"];
        Assert.Equal(run.SimulatedMetrics.Count, server.Run.History.Count);
        foreach (var (simulated, deployed) in run.SimulatedMetrics.Zip(server.Run.History))
        {
            Assert.All(personal, key => Assert.Equal(simulated.Extra[key], deployed.Extra[key]));
        }
        foreach (string folder in run.Folders)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(LoopbackRun.StateFolderOf(folder), kept + ".f32", SearchOption.AllDirectories));
        }
    }
}
