namespace Cohort.Transport.Tests;

/// <summary>
/// Clients held out of training (partition.holdout_clients), deployed: they join, are never given a round to train, and
/// after the last round personalize from the final model with the method's own procedure on their own machine;
/// the server reports their scores apart, the simulated run's bit for bit.
/// </summary>
public class NewClientsDeployedTests
{
    private static readonly string[] NewClientKeys = ["new_client_accuracy_mean", "new_client_accuracy_p10", "new_client_accuracy_worst", "new_client_accuracy_std"];

    private static readonly string[] PersonalKeys = ["personal_accuracy_mean", "personal_accuracy_worst", "global_accuracy_mean", "global_accuracy_worst"];

    [Theory]
    // A kept part: the new clients run FedPer's client half once from the final model and keep their bias.
    [InlineData("fedper", "algorithm.personal=fc.bias")]
    // The method's own personal model: a new client has none, so the final model is its own.
    [InlineData("ditto", "algorithm.lambda=0.1")]
    // Fine-tuning at evaluation: a new client fine-tunes the final model on its training data.
    [InlineData("fedavg", "eval.finetune.steps=3")]
    // No personal model at all: a new client scores the final model.
    [InlineData("fedavg", "eval.clients=true")]
    public async Task HeldOutClientsPersonalizeOnTheirOwnAndGiveTheSimulatedScores(string method, string setting)
    {
        var config = SmallMnist.Config($"algorithm.name={method}", setting, "partition.holdout_clients=2", "clients_per_round=2", "rounds=3", "client.steps=4");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        Assert.Equal(run.SimulatedMetrics.Count, server.Run.History.Count);
        var last = server.Run.History[^1].Extra;
        Assert.All(NewClientKeys, key => Assert.Equal(run.SimulatedMetrics[^1].Extra[key], last[key]));
        Assert.InRange(last["new_client_accuracy_worst"], 0, last["new_client_accuracy_mean"]);
        Assert.All(server.Run.History.SkipLast(1), m => Assert.DoesNotContain("new_client_accuracy_mean", m.Extra.Keys));
        foreach (var (simulated, deployed) in run.SimulatedMetrics.Zip(server.Run.History))
        {
            // The training clients' spread leaves the held-out ones out, as simulated.
            Assert.All(PersonalKeys.Where(simulated.Extra.ContainsKey), key => Assert.Equal(simulated.Extra[key], deployed.Extra[key]));
            Assert.Equal(simulated.ClientAccuracy, deployed.ClientAccuracy);
        }
        // The held-out clients (ids 2 and 3) never trained: no round's state of theirs was made final.
        foreach (string folder in run.Folders[2..])
        {
            string state = LoopbackRun.StateFolderOf(folder);
            Assert.Empty(Directory.Exists(state) ? Directory.EnumerateFiles(state, "*.f32", SearchOption.TopDirectoryOnly) : []);
        }
        if (method == "fedper")
        {
            // …but each kept the bias its personalization made, staged as the round after the last.
            Assert.All(run.Folders[2..], folder => Assert.NotEmpty(Directory.EnumerateFiles(LoopbackRun.StateFolderOf(folder), "personal.parameters.f32", SearchOption.AllDirectories)));
        }
    }
}
