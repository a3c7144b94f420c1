using Cohort.Federated.Config;

namespace Cohort.Transport.Tests;

/// <summary>Private runs deployed: central DP at the server, local DP and DP-SGD in each client's training and hooks, each giving the simulated model and epsilon.</summary>
public class DeployedPrivacyTests
{
    [Fact]
    public async Task LocalDpAtTheClientsGivesTheSimulatedModelAndEpsilon()
    {
        var config = SmallMnist.Config("diagnostics.enabled=false", "privacy.mechanism=local", "clients_per_round=4", "privacy.noise_multiplier=2", "privacy.clip=0.5", "client.steps=3");
        await AssertDeployedIsSimulated(config);
    }

    [Fact]
    public async Task DpSgdAtTheClientsGivesTheSimulatedModelAndEpsilon()
    {
        var config = SmallMnist.Config("diagnostics.enabled=false", "privacy.mechanism=dp-sgd", "clients_per_round=4", "privacy.noise_multiplier=1.1", "privacy.clip=1", "client.steps=3");
        await AssertDeployedIsSimulated(config);
    }

    [Fact]
    public async Task CentralDpAtTheServerGivesTheSimulatedModelAndEpsilon()
    {
        var config = SmallMnist.Config("diagnostics.enabled=false", "sampling=poisson", "clients_per_round=0.75", "aggregation.weighting=uniform",
            "privacy.mechanism=central", "privacy.adaptive=true", "privacy.count_noise=1", "privacy.noise_multiplier=1", "client.steps=3");
        await AssertDeployedIsSimulated(config);
    }

    private static async Task AssertDeployedIsSimulated(ExperimentConfig config)
    {
        using var run = LoopbackRun.Prepare(config);
        var simulated = run.Simulated;
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        var summary = await server.Completion;
        Assert.Equal(2, summary.RoundsRun);
        Assert.Equal(simulated, server.Run.Server.Global);
        double epsilon = server.Run.History[^1].Extra["epsilon"];
        Assert.True(epsilon > 0);
        Assert.Equal(run.SimulatedMetrics[^1].Extra["epsilon"], epsilon);
        Assert.Equal(run.SimulatedMetrics[^1].Extra["clip"], server.Run.History[^1].Extra["clip"]);
        Assert.Contains(summary.Statements, s => s.Key == "privacy_neighbours");
    }
}
