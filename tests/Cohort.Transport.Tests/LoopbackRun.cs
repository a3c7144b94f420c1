using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;
using Cohort.Transport.Client;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

/// <summary>A deployed run on loopback: a server on an ephemeral port and one token per client.</summary>
internal static class LoopbackRun
{
    public static Dictionary<int, string> Tokens(int clients) =>
        Enumerable.Range(0, clients).ToDictionary(k => k, k => $"token-{k}-{Guid.NewGuid():N}");

    public static Task<DeployedServer> StartAsync(ExperimentConfig config, IReadOnlyDictionary<int, string> tokens, Func<ServerOptions, ServerOptions>? adjust = null, int port = 0)
    {
        var options = new ServerOptions { Listen = ListenAddress.Parse($"http://127.0.0.1:{port}"), Tokens = tokens };
        return DeployedServer.StartAsync(config, adjust is null ? options : adjust(options), []);
    }

    /// <summary>Simulates the experiment, exports its partition and issues one token per client.</summary>
    public static PreparedRun Prepare(ExperimentConfig config)
    {
        var (simulated, metrics) = SimulateWithMetrics(config);
        var temp = SmallMnist.Temp();
        var folders = ExportPartition(config, Path.Combine(temp.Path, "parts"));
        return new PreparedRun(simulated, temp, folders, Tokens(folders.Length)) { SimulatedMetrics = metrics };
    }

    /// <summary>The final model of the experiment simulated in-process.</summary>
    public static float[] Simulate(ExperimentConfig config) => SimulateWithMetrics(config).Model;

    /// <summary>The final model and each round's metrics of the experiment simulated in-process.</summary>
    public static (float[] Model, IReadOnlyList<RoundMetrics> Metrics) SimulateWithMetrics(ExperimentConfig config)
    {
        using var simulation = new FederatedRun(Experiment.From(config), FederatedData.Load(config));
        simulation.Run();
        return (simulation.Server.Global, simulation.History);
    }

    /// <summary>Exports the experiment's partition and returns each client's folder.</summary>
    public static string[] ExportPartition(ExperimentConfig config, string root)
    {
        var data = FederatedData.Load(config);
        PartitionExport.Write(data, root, config.GetBool("dataset.scale"));
        return Enumerable.Range(0, data.Clients).Select(k => PartitionExport.ClientFolder(root, k)).ToArray();
    }

    /// <summary>Joins with a client's data folder; its state goes beside the exported partition (parts/../state/client-K), so a client joined again finds it.</summary>
    public static Task JoinAsync(Uri server, string token, string data, CancellationToken cancel, string? ca = null) =>
        new JoinSession(new JoinOptions { Server = server, Token = token, DataPath = data, CaPath = ca, PollSeconds = 5, StateFolder = StateFolderOf(data) }, TextWriter.Null).RunAsync(cancel);

    /// <summary>Joins every client of a prepared run to the server and waits until they and the server are done.</summary>
    public static Task RunToEndAsync(DeployedServer server, PreparedRun run, CancellationToken cancel)
    {
        var clients = run.Folders.Select((folder, k) => Task.Run(() => JoinAsync(server.Address, run.Tokens[k], folder, cancel)));
        return TaskWaits.AllOrFirstFault(clients.Append(server.Completion), cancel);
    }

    public static string StateFolderOf(string data) => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(data)))!, "state", Path.GetFileName(data));
}

/// <summary>What a deployed test starts from: the simulated model, a temporary folder, each client's data folder and token.</summary>
public sealed record PreparedRun(float[] Simulated, TempFolder Temp, string[] Folders, Dictionary<int, string> Tokens) : IDisposable
{
    public IReadOnlyList<RoundMetrics> SimulatedMetrics { get; init; } = [];

    public void Dispose() => Temp.Dispose();
}

/// <summary>Waits for tasks, failing at the first fault instead of waiting on the others.</summary>
public static class TaskWaits
{
    public static async Task AllOrFirstFault(IEnumerable<Task> tasks, CancellationToken cancel)
    {
        var pending = tasks.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(cancel);
            await done;
            pending.Remove(done);
        }
    }
}
