using System.Globalization;
using Cohort.Cli.Commands;
using Cohort.Data.Tests;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Partitions;
using Cohort.NN.Serialization;
using Cohort.NN.Zoo;
using Cohort.Transport.Durability;

namespace Cohort.Cli.Tests;

/// <summary>
/// A served run in separate processes with faults: clients killed and started again at random moments,
/// the server killed and restarted twice. The run still ends on the simulated model, and the server's
/// records hold every round's updates exactly once. COHORT_FAULT_CLIENTS sets the size (CI runs a small one).
/// </summary>
public class FaultInjectionTests
{
    [Fact]
    public async Task KilledClientsAndTwoServerCrashesStillGiveTheSimulatedModel()
    {
        int clients = int.TryParse(Environment.GetEnvironmentVariable("COHORT_FAULT_CLIENTS"), CultureInfo.InvariantCulture, out int n) ? n : 5;
        // Rounds after the second server kill (in round 3) leave the run time to still be going when it lands.
        const int rounds = 8;
        var random = new Random(20261123);
        var dir = Directory.CreateTempSubdirectory("cohort-faults").FullName;
        var processes = new List<ChildProcess>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, string.Create(CultureInfo.InvariantCulture,
                $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: mlp\npartition:\n  clients: {clients}\nclients_per_round: {clients}\nrounds: {rounds}\nclient:\n  steps: 60\neval:\n  clients: false\nseed: 5\nthreads: 1\n"));
            string tokensFile = Path.Combine(dir, "tokens.txt"), parts = Path.Combine(dir, "parts"), state = Path.Combine(dir, "state");
            var tokens = Enumerable.Range(0, clients).Select(k => CommandLineTests.Cohort("token", "add", k.ToString(CultureInfo.InvariantCulture), "--tokens", tokensFile, "--print").Out.Trim()).ToArray();
            Assert.Equal(0, CommandLineTests.Cohort("partition", "export", exp, "--out", parts).Code);
            string url = $"http://127.0.0.1:{LoopbackPort.Free()}";
            string[] serve = ["serve", exp, "--listen", url, "--tokens", tokensFile, "--state", state];
            ChildProcess Client(int k) => Track(new ChildProcess("join", url, "--data", Path.Combine(parts, $"client-{k}"), "--token", tokens[k], "--state", Path.Combine(dir, $"client-state-{k}")));
            ChildProcess Track(ChildProcess p)
            {
                processes.Add(p);
                return p;
            }

            var server = Track(new ChildProcess(serve));
            var joined = Enumerable.Range(0, clients).Select(Client).ToArray();
            // Two clients killed mid-run and started again.
            await server.WaitForRound(1, cancel.Token);
            foreach (int k in Enumerable.Range(0, clients).OrderBy(_ => random.Next()).Take(2))
            {
                await Task.Delay(random.Next(150), cancel.Token);
                joined[k].Kill();
                joined[k] = Client(k);
            }
            // The server killed twice, each time in a later round, and started again with the same command.
            foreach (int round in new[] { 2, 3 })
            {
                await server.WaitForRound(round, cancel.Token);
                await Task.Delay(random.Next(150), cancel.Token);
                server.Kill();
                Assert.DoesNotContain("finished:", server.Output, StringComparison.Ordinal);
                server = Track(new ChildProcess(serve));
            }
            Assert.True(await server.ExitCode(cancel.Token) == 0, server.Output);
            foreach (var client in joined)
            {
                Assert.True(await client.ExitCode(cancel.Token) == 0, client.Output);
            }

            using (var store = ServerStore.Open(state))
            {
                Assert.True(store.Finished);
                var accepted = store.Accepted();
                Assert.Equal(rounds * clients, accepted.Count);
                Assert.Equal(rounds * clients, accepted.Select(u => (u.Round, u.Client)).Distinct().Count());
            }
            var config = RunCommand.Load(exp, []);
            using var simulation = new FederatedRun(Experiment.From(config), FederatedData.Load(config));
            simulation.Run();
            var served = ModelZoo.Create("mlp", 5);
            served.LoadSafetensors(Path.Combine(state, "model.safetensors"));
            Assert.Equal(simulation.Server.Global, served.Parameters);

            var again = Track(new ChildProcess(serve));
            Assert.Equal(0, await again.ExitCode(cancel.Token));
            Assert.Contains("finished", again.Output, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var p in processes)
            {
                p.Dispose();
            }
            Directory.Delete(dir, true);
        }
    }

}
