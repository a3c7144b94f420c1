using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cohort.Data;
using Cohort.Federated.Partitions;
using Cohort.NN.Zoo;
using Cohort.Tensors;
using Cohort.Tensors.Random;
using Cohort.Transport.Client;
using Cohort.Transport.Security;
using Cohort.Transport.Wire;

namespace Cohort.Cli.Bench;

/// <summary>
/// Update ingest as in docs/benchmarks.md: `cohort serve` in a process of its own (TLS on loopback)
/// and N concurrent clients in this one, each uploading a model-sized update per round with every
/// client in every round. Reports the accepted-and-aggregated bytes per second of each round (first
/// task handed out to last upload answered) and the server's peak resident memory.
/// </summary>
internal static class IngestBenchmark
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var model = CliOptions.Text("--model", "M", "the zoo model whose updates are uploaded", "cnn");
        var clients = CliOptions.Int("--clients", "concurrent clients", 100, min: 1);
        var rounds = CliOptions.Int("--rounds", "rounds measured", 3, min: 1);
        var tls = CliOptions.Text("--tls", "true|false", "serve over TLS", "true");
        var command = new Command("ingest", "update ingest of a served run on loopback, one JSON line with mb_per_second and server_peak_rss_mb")
        {
            model, clients, rounds, tls,
        };
        command.SetAction(parse => RunAsync(parse.GetRequiredValue(model), parse.GetValue(clients), parse.GetValue(rounds), parse.GetValue(tls) != "false", io.Out).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> RunAsync(string model, int clients, int rounds, bool tls, TextWriter stdout)
    {
        var ci = CultureInfo.InvariantCulture;
        string dir = Directory.CreateTempSubdirectory("cohort-bench-ingest").FullName;
        try
        {
            WriteTinyData(Path.Combine(dir, "data"));
            string exp = Path.Combine(dir, "exp.yaml");
            // The benchmark's clients only upload: they answer no EVALUATE task, so no gradient diagnostics are asked of them.
            File.WriteAllText(exp, string.Create(ci,
                $"dataset:\n  name: mnist\n  root: {Path.Combine(dir, "data")}\nmodel: {model}\npartition:\n  clients: {clients}\nclients_per_round: {clients}\nrounds: {rounds}\neval:\n  every: {rounds}\n  clients: false\ndiagnostics:\n  enabled: false\nthreads: 1\n"));
            var (certificate, authority) = DevCertificates.Create(Path.Combine(dir, "certs"));
            string tokensFile = Path.Combine(dir, "tokens.txt");
            var tokens = Enumerable.Range(0, clients).Select(k => TokenFile.Add(tokensFile, k)).ToArray();
            int port = FreePort();
            string url = string.Create(ci, $"{(tls ? "https" : "http")}://127.0.0.1:{port}");
            var serve = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "serve", exp, "--listen", url, "--cert", certificate, "--tokens", tokensFile, "--state", Path.Combine(dir, "state"), "--rate", "1000" })
            {
                serve.ArgumentList.Add(a);
            }
            using var server = Process.Start(serve)!;
            var serverErrors = server.StandardError.ReadToEndAsync();
            var serverOutput = server.StandardOutput.ReadToEndAsync();
            long peak = 0;
            using var watching = new CancellationTokenSource();
            var watcher = Task.Run(async () =>
            {
                while (!watching.IsCancellationRequested && !server.HasExited)
                {
                    peak = Math.Max(peak, PeakResidentBytes(server.Id));
                    await Task.Delay(50);
                }
            });

            int parameters = ModelZoo.Create(model, 0).ParameterCount;
            var update = new float[parameters];
            RandomStream.Create(3, RandomStream.Purpose("bench-ingest")).FillUniform(update, -1e-3f, 1e-3f);
            var firstTask = new ConcurrentDictionary<int, long>();
            var lastAnswer = new ConcurrentDictionary<int, long>();
            var clock = Stopwatch.StartNew();
            var uploaders = Enumerable.Range(0, clients).Select(k => Task.Run(async () =>
            {
                using var client = new ProtocolClient(new Uri(url), tokens[k], tls ? authority : null);
                await Retry(() => client.RegisterAsync(new RegisterRequest { TrainSamples = 600 }, CancellationToken.None));
                while (true)
                {
                    var task = await client.NextTaskAsync(20, CancellationToken.None);
                    if (task.Kind == WorkTask.Types.Kind.Finished)
                    {
                        return;
                    }
                    if (task.Kind != WorkTask.Types.Kind.Train)
                    {
                        continue;
                    }
                    firstTask.TryAdd(task.Round, clock.ElapsedTicks);
                    var header = new UpdateHeader { TaskId = task.TaskId, Round = task.Round, Length = parameters, Samples = 600, Batches = 1 };
                    await client.UploadAsync(header, update, CancellationToken.None);
                    lastAnswer.AddOrUpdate(task.Round, clock.ElapsedTicks, (_, t) => Math.Max(t, clock.ElapsedTicks));
                }
            })).ToArray();
            await Task.WhenAll(uploaders);
            await server.WaitForExitAsync();
            await watching.CancelAsync();
            await watcher;
            if (server.ExitCode != 0)
            {
                throw new InvalidOperationException($"bench ingest: the server exited {server.ExitCode}: {await serverErrors}");
            }
            _ = await serverOutput;
            double bytesPerRound = 4.0 * parameters * clients;
            var rates = Enumerable.Range(1, rounds)
                .Select(r => bytesPerRound / ((lastAnswer[r] - firstTask[r]) / (double)Stopwatch.Frequency) / 1e6)
                .ToArray();
            stdout.WriteLine(string.Create(ci,
                $"{{\"benchmark\":\"ingest\",\"protocol\":\"grpc\",\"model\":\"{model}\",\"parameters\":{parameters},\"clients\":{clients},\"rounds\":{rounds},\"tls\":{(tls ? "true" : "false")},\"mb_per_second\":[{string.Join(",", rates.Select(x => x.ToString("F1", ci)))}],\"median_mb_per_second\":{rates.Order().ElementAt(rates.Length / 2):F1},\"server_peak_rss_mb\":{peak / 1e6:F1},\"model_mb\":{4.0 * parameters / 1e6:F1}}}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Twenty random 28x28 images: the server evaluates on something, and quickly.</summary>
    private static void WriteTinyData(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = RandomStream.Create(2, RandomStream.Purpose("bench-ingest-data"));
        var x = new float[20 * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextInt(256) * (1f / 255f);
        }
        var labels = Enumerable.Range(0, 20).Select(i => i % 10).ToArray();
        var set = new Dataset("random", x, new Shape(1, 28, 28), labels, 10);
        var all = Enumerable.Range(0, 20).ToArray();
        PartitionExport.WriteSplit(set, all, folder, ImageFolder.TrainFiles, scaled: true);
        PartitionExport.WriteSplit(set, all, folder, ImageFolder.TestFiles, scaled: true);
    }

    private static async Task Retry(Func<Task> call)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && attempt < 600)
            {
                // The server is still starting.
                await Task.Delay(100);
            }
        }
    }

    /// <summary>VmHWM of a process: the most resident memory it has held.</summary>
    private static long PeakResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process has just ended.
        }
        return 0;
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
