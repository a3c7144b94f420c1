using System.Globalization;
using Cohort.Federated.Checkpoints;
using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;
using Cohort.Reporting;
using Cohort.Transport.Durability;
using Cohort.Transport.Security;
using Cohort.Transport.Server;

namespace Cohort.Cli.Commands;

/// <summary>
/// `cohort serve &lt;experiment.yaml&gt; [--set key=value …] [--listen URL] [--cert FILE] [--tokens FILE] [--state DIR]`:
/// runs the experiment's server for remote clients; outputs and state go to DIR (default runs/&lt;name&gt;-serve).
/// </summary>
public static class ServeCommand
{
    public const string DefaultListen = "https://0.0.0.0:8443";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        var (positional, sets, options) = ArgumentSplitter.Split(args, 1);
        if (positional.Count != 1)
        {
            throw new UsageException("serve needs an experiment file: cohort serve <experiment.yaml>.");
        }
        var listen = ListenAddress.Parse(options.String("listen", DefaultListen));
        string? cert = options.String("cert");
        string? tokensPath = options.String("tokens");
        string state = options.String("state") ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(positional[0]) + "-serve");
        int? startClients = options.String("start-clients") is null ? null : options.Int("start-clients", 0, 1);
        double deadline = options.Double("round-deadline", 0, 0);
        int minClients = options.Int("min-clients", 1, 1);
        double overSelect = options.Double("overselect", 0, 0);
        double maxNorm = options.Double("max-norm", 0, 0);
        int rate = options.Int("rate", 20, 1);
        options.RejectUnknown();

        var config = RunCommand.Load(positional[0], sets);
        // Before the run folder is made: a method the protocol cannot carry leaves nothing behind.
        DeployableMethod.Check(config);
        var folder = RunFolder.Create(state);
        if (ServerStore.IsFinished(folder.FullPath))
        {
            stdout.WriteLine($"run in {folder.FullPath} is finished; nothing to do.");
            return 0;
        }
        var tokens = tokensPath is null ? new Dictionary<int, string>() : TokenFile.Load(tokensPath);
        if (tokens.Count == 0)
        {
            stderr.WriteLine("cohort: no --tokens (or an empty file): no client will be accepted.");
        }
        var serverOptions = new ServerOptions
        {
            Listen = listen,
            CertificatePath = cert,
            Tokens = tokens,
            StartClients = startClients,
            StateFolder = folder.FullPath,
            Rules = new RoundRules(deadline > 0 ? TimeSpan.FromSeconds(deadline) : null, minClients, overSelect),
            MaxUpdateNorm = maxNorm > 0 ? maxNorm : null,
            RequestsPerSecond = rate,
        };
        folder.WriteConfig(config.ToYaml());
        using var writers = folder.OpenWriters();
        // A resumed run may redo the round it was in; rounds already written are not written twice.
        var callbacks = new List<IRunCallback> { new FromRound(ResumedMetrics.LastRound(folder.MetricsJsonlPath), writers), new ProgressReporter(stderr, live: false) };
        return Serve(config, serverOptions, callbacks, folder, stdout, stderr).GetAwaiter().GetResult();
    }

    private static async Task<int> Serve(ExperimentConfig config, ServerOptions options, List<IRunCallback> callbacks, RunFolder folder, TextWriter stdout, TextWriter stderr)
    {
        using var interrupt = new ConsoleInterrupt();
        await using var server = await DeployedServer.StartAsync(config, options, callbacks);
        stdout.WriteLine($"listening on {server.Address} (run folder {folder.FullPath})");
        stdout.Flush();
        try
        {
            await server.Completion.WaitAsync(interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cohort: interrupted; the run stops here.");
            return 130;
        }
        folder.WriteModel(server.Simulation.ExportModel(), new Dictionary<string, string> { ["mode"] = "federated", ["deployed"] = "true" });
        // No report.html: the server never sees the partition the report charts.
        stdout.WriteLine($"finished: {folder.FullPath}");
        // Clients learn the run is over at their next poll.
        await server.LingerAsync(TimeSpan.FromSeconds(5), interrupt.Token);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"served: {server.Cohort.Counters.Accepted} updates accepted, {server.Cohort.Counters.Rejected} rejected"));
        return 0;
    }
}
