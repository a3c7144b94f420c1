using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;
using Cohort.Transport.Dashboard;
using Cohort.Transport.Durability;
using Cohort.Transport.Security;
using Cohort.Transport.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cohort.Transport.Server;

/// <summary>
/// A federated run served to remote clients: the round loop a simulated run uses with a <see cref="RemoteCohort"/>
/// as its executor, behind Kestrel. The server holds the test split to evaluate on; clients hold the training data.
/// </summary>
internal sealed class DeployedServer : IAsyncDisposable
{
    /// <summary>The largest request body outside gRPC's streaming calls (which lift it and bound each message instead): the dashboard's requests are small.</summary>
    private const long SmallBodyBytes = 64 * 1024;

    private readonly WebApplication _app;
    private readonly FederatedRun _run;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _loop;
    private readonly TaskCompletionSource<RunSummary> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _startClients;
    private ServerStore? _store;
    private DurableJournal? _journal;

    private DeployedServer(WebApplication app, FederatedRun run, RemoteCohort cohort, ClientRegistry registry, int startClients)
    {
        _app = app;
        _run = run;
        Cohort = cohort;
        Registry = registry;
        _startClients = startClients;
        _loop = new Thread(RunLoop) { IsBackground = true, Name = "cohort-rounds" };
    }

    public RemoteCohort Cohort { get; }

    public ClientRegistry Registry { get; }

    public FederatedRun Run => _run;

    /// <summary>The address clients connect to (the bound port when --listen asked for port 0).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Completes with the run's summary when the last round is done (faults with the loop's error).</summary>
    public Task<RunSummary> Completion => _completion.Task;

    public static async Task<DeployedServer> StartAsync(ExperimentConfig config, ServerOptions options, IReadOnlyList<IRunCallback> callbacks)
    {
        var experiment = Experiment.From(config);
        DeployableMethod.Check(config);
        if (options.Listen.Tls && options.CertificatePath is null)
        {
            throw new ArgumentException("--listen https needs --cert FILE (a PKCS#12 file; 'cohort cert dev' makes one for tests).");
        }
        var data = ServerData(config);
        string runId = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(config.ToYaml())))[..16];
        var store = options.StateFolder is null ? null : ServerStore.Open(options.StateFolder);
        store?.Claim(runId);
        var registry = new ClientRegistry(experiment.Clients, store is null ? null : store.SaveClient);
        foreach (var registration in store?.Clients() ?? [])
        {
            registry.Restore(registration);
        }
        var model = NN.Zoo.ModelZoo.Create(experiment.Model, experiment.Seed, data.ModelOptions);
        var template = new TaskTemplate(config, data.ModelOptions, model.ParameterCount, model.Buffers.Length);
        // The clients' method and stages, built as a client builds them, tell how their updates are encoded.
        var (algorithm, _, clientPipeline, _) = ExperimentWiring.Build(config, model, new ServerClientStates());
        var decoder = UplinkDecoder.For(config, algorithm, clientPipeline);
        var format = new UploadFormat(algorithm, model.ParameterCount, decoder, options.MaxUpdateNorm, options.MaxMeanLoss);
        var serverStates = new ServerClientStates();
        var cohort = new RemoteCohort(registry, template, options.Rules, options.IngestSlots, format, decoder, serverStates, options.Log)
        {
            Asynchrony = algorithm.Asynchrony,
        };
        var feed = new MetricsFeed();
        var run = new FederatedRun(experiment, data, [.. callbacks, feed], cohortExecutor: cohort);
        DurableJournal? journal = null;
        if (store is not null)
        {
            var aggregator = run.Aggregator as ICheckpointedAggregator
                ?? throw new ConfigException($"aggregator.name {run.Aggregator.Name}: its state cannot be checkpointed, so it cannot run with --state.");
            journal = new DurableJournal(store, options.StateFolder!, run.Server, aggregator, serverStates, run.Totals);
            int completed = journal.RestoreServer();
            if (completed > 0 || registry.Count > 0)
            {
                options.Log?.Invoke($"resuming the run recorded in {options.StateFolder}: {completed} of {experiment.Rounds} rounds completed, {registry.Count} clients registered.");
            }
            // Mid-round records hold the update's aggregate only: a round with more (several exchanges, other
            // uplink values, per-client vectors the server keeps) is recorded whole and redone if interrupted.
            bool updateOnly = algorithm.Exchanges == 1 && algorithm.Uplink.Vectors.Count == 0 && algorithm.Uplink.Scalars.Count == 0 && decoder?.State is null;
            cohort.UseJournal(journal, updatesMidRound: updateOnly);
        }
        var credentials = new ClientCredentials(options.Tokens);
        var app = BuildHost(options, new FederationService(cohort, registry, credentials, runId, options.MaxPollWait));
        app.MapGrpcService<FederationService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        DashboardEndpoints.Map(app, new ServerView(runId, experiment.Rounds, cohort, registry, feed, () => run.Server.Round));
        var server = new DeployedServer(app, run, cohort, registry, Math.Min(options.StartClients ?? experiment.Clients, experiment.Clients))
        {
            _store = store,
            _journal = journal,
        };
        await app.StartAsync().ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        server._loop.Start();
        return server;
    }

    private static WebApplication BuildHost(ServerOptions options, FederationService service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = options.CertificatePath is { } path ? LoadCertificate(path, options.CertificatePasswordPath) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = SmallBodyBytes;
            // Flow-control windows bound what waits in the server per connection: uploads beyond the
            // ingest slots sit in their senders, not in server memory.
            kestrel.Limits.Http2.InitialConnectionWindowSize = 256 << 10;
            kestrel.Limits.Http2.InitialStreamWindowSize = 256 << 10;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 256;
            // Pings find a dead client's connection (and its calls) without waiting for a write to fail.
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            kestrel.Listen(options.Listen.EndPoint, listen =>
            {
                if (options.Listen.Tls)
                {
                    // ALPN picks h2 for clients and http/1.1 for browsers.
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate!);
                }
                else
                {
                    // Cleartext (loopback tests): HTTP/2 with prior knowledge.
                    listen.Protocols = HttpProtocols.Http2;
                }
            });
        });
        builder.Services.AddRateLimiter(limits => RequestRates.Configure(limits, options.RequestsPerSecond));
        builder.Services.AddGrpc(grpc =>
        {
            // One part of a call at most: a chunk of values and its framing, or a small message.
            grpc.MaxReceiveMessageSize = VectorChunks.MaxPartBytes;
            grpc.MaxSendMessageSize = VectorChunks.MaxPartBytes;
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton(service);
        builder.Services.AddGrpcHealthChecks();
        builder.Services.AddGrpcReflection();
        var app = builder.Build();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The certificate and key; the password from <paramref name="passwordPath"/>, else from the file beside the certificate when there is one, else none.</summary>
    private static X509Certificate2 LoadCertificate(string path, string? passwordPath)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--cert {path} does not exist ('cohort cert dev --out DIR' makes DIR/{DevCertificates.ServerFile} for tests).");
        }
        passwordPath ??= File.Exists(DevCertificates.PasswordFileOf(path)) ? DevCertificates.PasswordFileOf(path) : null;
        string? password = passwordPath is null ? null : PrivateFile.ReadLine(passwordPath, "--cert-password-file");
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"--cert {path}: not a PKCS#12 file with a certificate and key that {(passwordPath is null ? "needs no password" : $"the password in {passwordPath} opens")} ({e.Message}).");
        }
    }

    /// <summary>The server's data: the test split to evaluate on, and one empty training list per client (clients hold their own).</summary>
    private static FederatedData ServerData(ExperimentConfig config)
    {
        var splits = FederatedData.LoadSplits(config);
        int clients = config.GetInt("partition.clients");
        var empty = Enumerable.Range(0, clients).Select(_ => Array.Empty<int>()).ToArray();
        var noTrain = splits.Train.Subset(ReadOnlySpan<int>.Empty);
        return new FederatedData(new Data.TrainTest(noTrain, splits.Test), new Data.Partitioning.Partition(empty, empty));
    }

    private void RunLoop()
    {
        try
        {
            WaitForClients();
            var summary = _run.Run(_stop.Token);
            Cohort.CloseLastRound();
            _journal?.Finish(_run.Server.Round);
            Cohort.Finish();
            _completion.TrySetResult(summary);
        }
        catch (OperationCanceledException)
        {
            _completion.TrySetCanceled();
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    private void WaitForClients()
    {
        using var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        Registry.Changed += OnChanged;
        try
        {
            while (Registry.Count < _startClients)
            {
                changed.Wait(TimeSpan.FromMilliseconds(500), _stop.Token);
            }
        }
        finally
        {
            Registry.Changed -= OnChanged;
        }
    }

    /// <summary>After the run: waits until every registered client has been told it is finished, or the grace period ends.</summary>
    public async Task LingerAsync(TimeSpan grace, CancellationToken cancel)
    {
        var until = DateTimeOffset.UtcNow + grace;
        while (DateTimeOffset.UtcNow < until && !Cohort.AllTold(Registry.All().Select(r => r.Client)))
        {
            await Task.Delay(100, cancel).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // No new work first, so that no round opens or task goes out while the run winds down.
        Cohort.StopHandingOutTasks();
        await _stop.CancelAsync().ConfigureAwait(false);
        _loop.Join(TimeSpan.FromSeconds(30));
        Cohort.Dispose();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }
        await _app.DisposeAsync().ConfigureAwait(false);
        _run.Dispose();
        _store?.Dispose();
        _stop.Dispose();
    }
}
