using System.CommandLine;
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
/// `cohort serve &lt;experiment.yaml&gt; [--set key=value …] [--listen URL] [--cert FILE [--cert-password-file FILE]] [--tokens FILE] [--state DIR]`:
/// runs the experiment's server for remote clients; outputs and state go to DIR (default runs/&lt;name&gt;-serve).
/// </summary>
internal static class ServeCommand
{
    public const string DefaultListen = "https://0.0.0.0:8443";

    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var file = CliOptions.ExperimentFile();
        var sets = CliOptions.Sets();
        var listen = CliOptions.Text("--listen", "URL", "the address to serve on (http:// only on loopback)", DefaultListen);
        var cert = CliOptions.Text("--cert", "FILE", "the server's certificate and key (PKCS#12, as 'cohort cert dev' makes); needed for https");
        var certPassword = CliOptions.Text("--cert-password-file", "FILE", "a file whose first line is --cert's password (default: FILE.password beside --cert, as 'cohort cert dev' writes it)");
        var tokens = CliOptions.Text("--tokens", "FILE", "the clients' tokens ('cohort token add'); without it no client is accepted");
        var state = CliOptions.Text("--state", "DIR", "outputs and state of the run (default runs/<name>-serve); the same folder again resumes it");
        var startClients = CliOptions.OptionalInt("--start-clients", "registered clients needed before the first round (default: every client of the experiment)", min: 1);
        var deadline = CliOptions.Number("--round-deadline", "SECONDS", "close a round after this long once --min-clients updates are in (0: wait for the whole cohort)", 0, min: 0);
        var minClients = CliOptions.Int("--min-clients", "updates a round needs before its deadline can close it", 1, min: 1);
        var overSelect = CliOptions.Number("--overselect", "F", "send tasks to this fraction more clients than a round needs, so dropouts do not stall it", 0, min: 0);
        var maxNorm = CliOptions.Number("--max-norm", "X", "refuse updates whose L2 norm is larger (0: no limit)", 0, min: 0);
        var maxLoss = CliOptions.Number("--max-loss", "X", "refuse updates whose report's mean training loss per batch is larger (0: no limit)", ServerOptions.DefaultMaxMeanLoss, min: 0);
        var rate = CliOptions.Int("--rate", "requests a second each client may make (bursts of twice that)", 20, min: 1);
        var command = new Command("serve", "serve the experiment to remote clients")
        {
            file, sets, listen, cert, certPassword, tokens, state, startClients, deadline, minClients, overSelect, maxNorm, maxLoss, rate,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetRequiredValue(file);
            double roundDeadline = parse.GetValue(deadline), norm = parse.GetValue(maxNorm), loss = parse.GetValue(maxLoss);
            var options = new ServerOptions
            {
                Listen = ListenAddress.Parse(parse.GetRequiredValue(listen)),
                CertificatePath = parse.GetValue(cert),
                CertificatePasswordPath = parse.GetValue(certPassword),
                StartClients = parse.GetValue(startClients),
                Rules = new RoundRules(roundDeadline > 0 ? TimeSpan.FromSeconds(roundDeadline) : null, parse.GetValue(minClients), parse.GetValue(overSelect)),
                MaxUpdateNorm = norm > 0 ? norm : null,
                MaxMeanLoss = loss > 0 ? loss : null,
                RequestsPerSecond = parse.GetValue(rate),
            };
            string folder = parse.GetValue(state) ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(path) + "-serve");
            return Run(path, parse.GetRequiredValue(sets), options, parse.GetValue(tokens), folder, io);
        });
        return command;
    }

    /// <summary>Serves the experiment at <paramref name="path"/> with <paramref name="options"/> (tokens and state folder filled in here).</summary>
    private static int Run(string path, string[] sets, ServerOptions options, string? tokensPath, string state, CommandIo io)
    {
        var (stdout, stderr) = (io.Out, io.Error);
        var config = RunCommand.Load(path, sets);
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
        var serverOptions = options with { Tokens = tokens, StateFolder = folder.FullPath, Log = line => stderr.WriteLine($"cohort serve: {line}") };
        folder.WriteConfig(config.ToYaml());
        using var writers = folder.OpenWriters();
        // A resumed run may redo the round it was in; rounds already written are not written twice.
        var callbacks = new List<IRunCallback> { new FromRound(ResumedMetrics.LastRound(folder.MetricsJsonlPath), writers), new ProgressReporter(stderr, live: false) };
        return Serve(config, serverOptions, callbacks, folder, io).GetAwaiter().GetResult();
    }

    private static async Task<int> Serve(ExperimentConfig config, ServerOptions options, List<IRunCallback> callbacks, RunFolder folder, CommandIo io)
    {
        var (stdout, stderr) = (io.Out, io.Error);
        await using var server = await DeployedServer.StartAsync(config, options, callbacks);
        stdout.WriteLine($"listening on {server.Address} (run folder {folder.FullPath})");
        stdout.Flush();
        try
        {
            await server.Completion.WaitAsync(io.Cancel);
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cohort: interrupted; the run stops here.");
            return 130;
        }
        // The simulated run's header: the same run served or simulated writes the same file, byte for byte.
        folder.WriteModel(server.Run.ExportModel(), new Dictionary<string, string> { ["mode"] = config.Get("mode") });
        // No report.html: the server never sees the partition the report charts.
        stdout.WriteLine($"finished: {folder.FullPath}");
        // Clients learn the run is over at their next poll.
        await server.LingerAsync(TimeSpan.FromSeconds(5), io.Cancel);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"served: {server.Cohort.Counters.Accepted} updates accepted, {server.Cohort.Counters.Rejected} rejected"));
        return 0;
    }
}
