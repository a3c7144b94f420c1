using Cohort.NN.Zoo;

namespace Cohort.Transport.Tests;

/// <summary>A method's personal part deployed: each client keeps it in its state folder from round to round, never uploads it, and scores its personal model.</summary>
public class PersonalModelDeployedTests
{
    [Fact]
    public async Task FedPerClientsKeepTheirBiasInTheirStateFoldersAndGiveTheSimulatedModel()
    {
        // Every client in every round, so each client's kept bias shapes its later rounds' updates.
        var config = SmallMnist.Config("algorithm.name=fedper", "algorithm.personal=fc.bias", "clients_per_round=4", "rounds=3", "client.steps=4");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        // The base trained from each client's own bias, as simulated, bit for bit.
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        // No client sent its bias: the server's (logreg's last 10 values) is the initial model's.
        var initial = ModelZoo.Create("logreg", (ulong)config.GetInt("seed"), server.Run.Options).Parameters;
        Assert.Equal(initial[^10..], server.Run.Server.Global[^10..]);
        Assert.NotEqual(initial[..^10], server.Run.Server.Global[..^10]);
        // Each client scored its personal model on its own test split, and the spread is the simulation's.
        string[] personal = ["personal_accuracy_mean", "personal_accuracy_p10", "personal_accuracy_worst"];
        Assert.Equal(run.SimulatedMetrics.Count, server.Run.History.Count);
        foreach (var (simulated, deployed) in run.SimulatedMetrics.Zip(server.Run.History))
        {
            Assert.All(personal, key => Assert.Equal(simulated.Extra[key], deployed.Extra[key]));
            Assert.InRange(deployed.Extra["personal_accuracy_worst"], 0, deployed.Extra["personal_accuracy_mean"]);
        }
        foreach (string folder in run.Folders)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(LoopbackRun.StateFolderOf(folder), "personal.parameters.f32", SearchOption.AllDirectories));
        }
    }
}
