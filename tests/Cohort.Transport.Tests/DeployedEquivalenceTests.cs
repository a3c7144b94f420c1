using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

public class DeployedEquivalenceTests
{
    [Fact]
    public async Task DeployedRunGivesTheSimulatedModelBitForBit()
    {
        var config = SmallMnist.Config("model=mlp", "partition.kind=dirichlet", "partition.alpha=0.5", "rounds=3", "client.epochs=1");
        var (server, summary, simulated, simulatedMetrics) = await Deploy(config);
        await using (server)
        {
            Assert.Equal(3, summary.RoundsRun);
            Assert.Equal(3 * 3, server.Cohort.Counters.Accepted);
            Assert.Equal(simulated, server.Run.Server.Global);
            // The clients' drift diagnostics, measured where they train and sent with their updates, are the simulated ones.
            var deployed = server.Run.History;
            Assert.Equal(simulatedMetrics.Select(m => m.Round), deployed.Select(m => m.Round));
            foreach (var (sim, dep) in simulatedMetrics.Zip(deployed))
            {
                foreach (string key in new[] { "drift", "update_norm", "aggregate_norm" })
                {
                    Assert.True(sim.Extra.ContainsKey(key) && dep.Extra.ContainsKey(key), $"round {sim.Round}: {key} missing");
                    Assert.Equal(sim.Extra[key], dep.Extra[key]);
                }
                Assert.True(dep.Extra["drift"] > 0, $"round {dep.Round}: the clients did not drift apart");
                // The gradient diagnostics' sample measured where its data is, combined by the server: the simulated ζ² and σ².
                foreach (string key in new[] { "zeta2", "sigma2" })
                {
                    Assert.Equal(sim.Extra.ContainsKey(key), dep.Extra.ContainsKey(key));
                    if (sim.Extra.TryGetValue(key, out double value))
                    {
                        Assert.Equal(value, dep.Extra[key]);
                    }
                }
            }
            // Measured at the last round (diagnostics.every), on gradients that differ and batches that disagree.
            Assert.True(deployed[^1].Extra["zeta2"] > 0 && deployed[^1].Extra["sigma2"] > 0, "the last round measured no gradient spread");
            // And it trained: the model moved from its initial values.
            using var untrained = new FederatedRun(Experiment.From(config), FederatedData.Load(config));
            Assert.NotEqual(untrained.Server.Global, server.Run.Server.Global);
        }
    }

    [Theory]
    [InlineData("fedprox")]
    [InlineData("fedadam")]
    public async Task UpdateOnlyMethodsDeployedGiveTheSimulatedModel(string method)
    {
        var config = SmallMnist.Config($"algorithm.name={method}", "rounds=2", "client.epochs=1");
        var (server, summary, simulated, _) = await Deploy(config);
        await using (server)
        {
            Assert.Equal(2, summary.RoundsRun);
            Assert.Equal(simulated, server.Run.Server.Global);
        }
    }

    /// <summary>Simulates the experiment, then runs it deployed on loopback with one joined client per partition.</summary>
    private static async Task<(DeployedServer Server, RunSummary Summary, float[] Simulated, IReadOnlyList<RoundMetrics> SimulatedMetrics)> Deploy(ExperimentConfig config)
    {
        using var run = LoopbackRun.Prepare(config);
        var (simulated, _, folders, tokens) = run;
        var server = await LoopbackRun.StartAsync(config, tokens);
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var clients = folders.Select((folder, k) => Task.Run(() => LoopbackRun.JoinAsync(server.Address, tokens[k], folder, cancel.Token))).ToArray();
            await TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel.Token);
            return (server, await server.Completion, simulated, run.SimulatedMetrics);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
