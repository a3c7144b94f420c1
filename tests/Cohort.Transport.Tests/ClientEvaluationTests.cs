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

        var deployed = server.Simulation.History;
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
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
        var clients = new ProtocolClient[2];
        var trainers = new ClientTrainer[2];
        try
        {
            for (int k = 0; k < 2; k++)
            {
                clients[k] = new ProtocolClient(server.Address, run.Tokens[k]);
                var settings = await clients[k].SettingsAsync(cancel);
                trainers[k] = new ClientTrainer(ClientData.Load(run.Folders[k], settings.Data, k), k);
                await clients[k].RegisterAsync(new RegisterRequest { TrainSamples = trainers[k].TrainSamples, TestSamples = trainers[k].TestSamples }, cancel);
            }
            var (status, reason) = await Send(clients[0], new EvaluationReport { Round = 1, Count = trainers[0].TestSamples }, cancel);
            Assert.True(status == 409 && reason.Contains("round 1's evaluation is not open", StringComparison.Ordinal), reason);
            for (int k = 0; k < 2; k++)
            {
                var task = await clients[k].NextTaskAsync(5, cancel);
                var broadcast = trainers[k].Broadcast(task);
                await clients[k].DownloadAsync(task, broadcast, cancel);
                await clients[k].UploadAsync(trainers[k].Train(task, broadcast), cancel);
            }

            var evaluate = await clients[0].NextTaskAsync(5, cancel);
            Assert.Equal((WorkTask.Types.Kind.Evaluate, 1), (evaluate.Kind, evaluate.Round));
            var (parameters, buffers) = trainers[0].EvaluationModel(evaluate);
            await clients[0].DownloadEvaluationModelAsync(evaluate, parameters, buffers, cancel);
            var report = trainers[0].Evaluate(evaluate);
            (status, reason) = await Send(clients[0], new EvaluationReport(report) { Count = report.Count + 1 }, cancel);
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
            (status, _) = await clients[0].RawAsync(HttpMethod.Get, "v1/evaluation?round=1", null, cancel);
            Assert.Equal(403, status);

            var other = await clients[1].NextTaskAsync(5, cancel);
            (parameters, buffers) = trainers[1].EvaluationModel(other);
            await clients[1].DownloadEvaluationModelAsync(other, parameters, buffers, cancel);
            await clients[1].SendEvaluationAsync(trainers[1].Evaluate(other), cancel);
            await server.Completion.WaitAsync(cancel);
            Assert.Equal(run.SimulatedMetrics.Single().ClientAccuracy, server.Simulation.History.Single().ClientAccuracy);
        }
        finally
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }
            foreach (var trainer in trainers)
            {
                trainer?.Dispose();
            }
        }
    }

    private static Task<(int Status, string Body)> Send(ProtocolClient client, EvaluationReport report, CancellationToken cancel) =>
        client.RawAsync(HttpMethod.Post, "v1/evaluation", (stream, token) => stream.WriteAsync(Google.Protobuf.MessageExtensions.ToByteArray(report), token).AsTask(), cancel);
}
