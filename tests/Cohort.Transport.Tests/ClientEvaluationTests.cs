using Cohort.Federated.Outputs;
using Cohort.Transport.Client;
using Cohort.Transport.Server;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>Deployed clients score the global model on their own test splits after each evaluated round; the server's client-accuracy statistics are the simulation's.</summary>
public class ClientEvaluationTests
{
    [Fact]
    public async Task DeployedClientsScoreTheModelOnTheirOwnSplitsAsTheSimulationDoes()
    {
        var config = SmallMnist.Config("model=mlp", "partition.kind=dirichlet", "partition.alpha=0.5", "rounds=2", "client.steps=4");
        using var run = LoopbackRun.Prepare(config);
        string jsonl = Path.Combine(run.Temp.Path, "metrics.jsonl");
        var options = new ServerOptions { Listen = ListenAddress.Parse("http://127.0.0.1:0"), Tokens = run.Tokens };
        await using var server = await DeployedServer.StartAsync(config, options, [new MetricsJsonlWriter(jsonl)]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);

        var deployed = server.Run.History;
        Assert.Equal(run.SimulatedMetrics.Select(m => m.ClientAccuracy), deployed.Select(m => m.ClientAccuracy));
        // Non-IID splits: the clients' accuracies differ, so the spread is there to compare.
        Assert.All(deployed, m => Assert.True(m.ClientAccuracy.Std > 0 && m.ClientAccuracy.Worst < m.ClientAccuracy.Mean, $"round {m.Round}: {m.ClientAccuracy}"));
        var lines = File.ReadAllLines(jsonl);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"client_accuracy_mean\":0.", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScoresThatDoNotFitTheirTaskAreRefusedAndChangeNothing()
    {
        await using var run = await ManualRun.TrainRoundOneAsync(scores: [true, true]);
        var (clients, trainers, cancel) = (run.Clients, run.Trainers, run.Cancel);
        var evaluate = await clients[0].NextTaskAsync(5, cancel);
        Assert.Equal((WorkTask.Types.Kind.Evaluate, 1), (evaluate.Kind, evaluate.Round));
        var report = await ScoreAsync(clients[0], trainers[0], evaluate, cancel);
        var (status, reason) = await Send(clients[0], new EvaluationReport(report) { Count = report.Count + 1 }, cancel);
        Assert.True(status == 422 && reason.Contains($"registered {report.Count} test samples", StringComparison.Ordinal), reason);
        (status, reason) = await Send(clients[0], new EvaluationReport(report) { TaskId = "forged" }, cancel);
        Assert.True(status == 403 && reason.Contains("was not issued", StringComparison.Ordinal), reason);
        (status, reason) = await Send(clients[1], report, cancel);
        Assert.True(status == 403 && reason.Contains("was not issued to client 1", StringComparison.Ordinal), reason);
        Assert.True((await clients[0].SendEvaluationAsync(report, cancel)).Accepted);
        (status, reason) = await Send(clients[0], report, cancel);
        Assert.True(status == 403 && reason.Contains("already sent its score", StringComparison.Ordinal), reason);
        // A client that has sent its score is not asked again, and the model is not handed out to it.
        Assert.Equal(WorkTask.Types.Kind.Wait, (await clients[0].NextTaskAsync(0, cancel)).Kind);
        (status, _) = await Answers.Of(() => clients[0].DownloadEvaluationModelAsync(evaluate, trainers[0].EvaluationModel(evaluate).Parameters, trainers[0].EvaluationModel(evaluate).Buffers, cancel));
        Assert.Equal(403, status);

        await clients[1].SendEvaluationAsync(await ScoreAsync(clients[1], trainers[1], await clients[1].NextTaskAsync(5, cancel), cancel), cancel);
        await run.Server.Completion.WaitAsync(cancel);
        Assert.Equal(run.Prepared.SimulatedMetrics.Single().ClientAccuracy, run.Server.Run.History.Single().ClientAccuracy);
    }

    [Fact]
    public async Task AClientThatDoesNotSayItScoresIsNotAsked()
    {
        // Client 1 registers as a client written before EVALUATE existed would.
        await using var run = await ManualRun.TrainRoundOneAsync(scores: [true, false]);
        // Client 0's task says the evaluation is open.
        var evaluate = await run.Clients[0].NextTaskAsync(5, run.Cancel);
        var (status, reason) = await Send(run.Clients[1], new EvaluationReport { Round = 1, Count = run.Trainers[1].TestSamples }, run.Cancel);
        Assert.True(status == 403 && reason.Contains("client 1 was not asked", StringComparison.Ordinal), reason);
        Assert.Equal(WorkTask.Types.Kind.Wait, (await run.Clients[1].NextTaskAsync(0, run.Cancel)).Kind);
        var report = await ScoreAsync(run.Clients[0], run.Trainers[0], evaluate, run.Cancel);
        await run.Clients[0].SendEvaluationAsync(report, run.Cancel);
        await run.Server.Completion.WaitAsync(run.Cancel);
        // The statistics are client 0's alone.
        var statistics = run.Server.Run.History.Single().ClientAccuracy;
        double accuracy = (double)report.Correct / report.Count;
        Assert.Equal((accuracy, accuracy, 0.0), (statistics.Mean, statistics.Worst, statistics.Std));
    }

    [Fact]
    public async Task SampledClientsSendTheirGradientsAndTheServerCombinesThemAsTheSimulationDoes()
    {
        // Neither client scores: the evaluation asks each sampled client for its gradient only.
        await using var run = await ManualRun.TrainRoundOneAsync(scores: [false, false], gradients: true);
        var (clients, trainers, cancel) = (run.Clients, run.Trainers, run.Cancel);
        var tasks = new WorkTask[2];
        for (int k = 0; k < 2; k++)
        {
            tasks[k] = await clients[k].NextTaskAsync(5, cancel);
            Assert.Equal((WorkTask.Types.Kind.Evaluate, true, true), (tasks[k].Kind, tasks[k].MeasuresGradient, tasks[k].SkipsScore));
            await ScoreAsync(clients[k], trainers[k], tasks[k], cancel);
        }
        var (status, reason) = await Send(clients[0], trainers[0].Evaluate(tasks[0]), cancel);
        Assert.True(status == 403 && reason.Contains("skips the score", StringComparison.Ordinal), reason);
        var gradient = trainers[0].Gradient(tasks[0]);
        var header = new GradientHeader { TaskId = tasks[0].TaskId, Round = 1, Length = gradient.Gradient.Length, Sigma2 = gradient.Sigma2 };
        (status, reason) = await Answers.Of(() => clients[0].SendGradientAsync(new GradientHeader(header) { Length = header.Length - 1 }, gradient.Gradient.AsMemory(1), cancel));
        Assert.True(status == 422 && reason.Contains($"the model has {header.Length} parameters", StringComparison.Ordinal), reason);
        (status, reason) = await Answers.Of(() => clients[0].SendGradientAsync(new GradientHeader(header) { Sigma2 = -1 }, gradient.Gradient, cancel));
        Assert.True(status == 422 && reason.Contains("sigma2 is finite and non-negative", StringComparison.Ordinal), reason);
        (status, reason) = await Answers.Of(() => clients[1].SendGradientAsync(header, gradient.Gradient, cancel));
        Assert.True(status == 403 && reason.Contains("was not issued to client 1", StringComparison.Ordinal), reason);
        Assert.True((await clients[0].SendGradientAsync(header, gradient.Gradient, cancel)).Accepted);
        (status, reason) = await Answers.Of(() => clients[0].SendGradientAsync(header, gradient.Gradient, cancel));
        Assert.True(status == 403 && reason.Contains("already sent its gradient", StringComparison.Ordinal), reason);
        Assert.Equal(WorkTask.Types.Kind.Wait, (await clients[0].NextTaskAsync(0, cancel)).Kind);

        var other = trainers[1].Gradient(tasks[1]);
        await clients[1].SendGradientAsync(new GradientHeader { TaskId = tasks[1].TaskId, Round = 1, Length = other.Gradient.Length, Sigma2 = other.Sigma2 }, other.Gradient, cancel);
        await run.Server.Completion.WaitAsync(cancel);
        var simulated = run.Prepared.SimulatedMetrics.Single().Extra;
        var deployed = run.Server.Run.History.Single().Extra;
        Assert.Equal((simulated["zeta2"], simulated["sigma2"]), (deployed["zeta2"], deployed["sigma2"]));
        // ζ² of two clients weighted p and 1 − p is p(1 − p)‖g₀ − g₁‖², and σ² their weighted σᵢ².
        double p = (double)trainers[0].TrainSamples / (trainers[0].TrainSamples + trainers[1].TrainSamples);
        double distance = gradient.Gradient.Zip(other.Gradient).Sum(g => (double)(g.First - g.Second) * (g.First - g.Second));
        Assert.Equal(p * (1 - p) * distance, deployed["zeta2"], 1e-9 * distance);
        Assert.Equal(p * gradient.Sigma2 + (1 - p) * other.Sigma2, deployed["sigma2"], 1e-12);
        Assert.True(deployed["zeta2"] > 0 && deployed["sigma2"] > 0);
    }

    private static async Task<EvaluationReport> ScoreAsync(ProtocolClient client, ClientTrainer trainer, WorkTask task, CancellationToken cancel)
    {
        Assert.Equal(WorkTask.Types.Kind.Evaluate, task.Kind);
        var (parameters, buffers) = trainer.EvaluationModel(task);
        await client.DownloadEvaluationModelAsync(task, parameters, buffers, cancel);
        return trainer.Evaluate(task);
    }

    private static Task<(int Status, string Reason)> Send(ProtocolClient client, EvaluationReport report, CancellationToken cancel) =>
        Answers.Of(() => client.SendEvaluationAsync(report, cancel));

    /// <summary>A one-round run of two clients driven request by request: both registered (saying whether they score their test splits) and round 1 uploaded.</summary>
    private sealed class ManualRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel = new(TimeSpan.FromSeconds(30));

        private ManualRun(PreparedRun prepared, DeployedServer server)
        {
            Prepared = prepared;
            Server = server;
        }

        public PreparedRun Prepared { get; }

        public DeployedServer Server { get; }

        public ProtocolClient[] Clients { get; } = new ProtocolClient[2];

        public ClientTrainer[] Trainers { get; } = new ClientTrainer[2];

        public CancellationToken Cancel => _cancel.Token;

        /// <summary>With <paramref name="gradients"/> the gradient diagnostics measure round 1 (both clients sampled); else they are off.</summary>
        public static async Task<ManualRun> TrainRoundOneAsync(bool[] scores, bool gradients = false)
        {
            var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3", $"diagnostics.enabled={(gradients ? "true" : "false")}");
            var prepared = LoopbackRun.Prepare(config);
            var run = new ManualRun(prepared, await LoopbackRun.StartAsync(config, prepared.Tokens));
            for (int k = 0; k < 2; k++)
            {
                run.Clients[k] = new ProtocolClient(run.Server.Address, prepared.Tokens[k]);
                var settings = await run.Clients[k].SettingsAsync(run.Cancel);
                run.Trainers[k] = new ClientTrainer(ClientData.Load(prepared.Folders[k], settings.Data, k), k);
                await run.Clients[k].RegisterAsync(new RegisterRequest { TrainSamples = run.Trainers[k].TrainSamples, TestSamples = run.Trainers[k].TestSamples, ScoresTestSplit = scores[k] }, run.Cancel);
            }
            var (status, reason) = await Send(run.Clients[0], new EvaluationReport { Round = 1, Count = run.Trainers[0].TestSamples }, run.Cancel);
            Assert.True(status == 409 && reason.Contains("round 1's evaluation is not open", StringComparison.Ordinal), reason);
            for (int k = 0; k < 2; k++)
            {
                var task = await run.Clients[k].NextTaskAsync(5, run.Cancel);
                var broadcast = run.Trainers[k].Broadcast(task);
                await run.Clients[k].DownloadAsync(task, broadcast, run.Cancel);
                await run.Clients[k].UploadAsync(run.Trainers[k].Train(task, broadcast), run.Cancel);
            }
            return run;
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            foreach (var client in Clients)
            {
                client?.Dispose();
            }
            foreach (var trainer in Trainers)
            {
                trainer?.Dispose();
            }
            Prepared.Dispose();
            _cancel.Dispose();
        }
    }
}
