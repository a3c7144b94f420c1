using Cohort.Federated.Personal;
using Cohort.NN.Zoo;
using Cohort.Transport.Client;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>FedBN deployed: the batch-norm layers and their running statistics stay in the client's state folder, never in an upload, and the run is the simulation's.</summary>
public class FedBnDeployedTests
{
    // cnn-bn's batch-norm layers: bn1 (32 channels) and bn2 (64), each a weight, a bias, a running mean and a running variance.
    private const int Kept = 2 * (32 + 32 + 64 + 64);

    [Fact]
    public async Task NoUploadedByteCarriesTheBatchNormTheClientKeeps()
    {
        using var folder = SmallMnist.Temp();
        var states = new ClientStateFolder(folder.Path, 0);
        await using var session = await UploadLayoutRefusalTests.Session.StartAsync(
            SmallMnist.Config("model=cnn-bn", "algorithm.name=fedbn", "partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=2",
                "diagnostics.enabled=false"), states);
        var kept = new float[Kept];
        Assert.True(states.TryRead(0, PersonalParameters.ClientState[PersonalParameters.StateName], kept));
        var model = ModelZoo.Create("cnn-bn", 1);
        var upload = session.Upload;
        int offset = 0;
        foreach (var tensor in model.NamedParameters)
        {
            if (tensor.Name!.StartsWith("bn", StringComparison.Ordinal))
            {
                Assert.All(upload.Update.Span.Slice(offset, tensor.Size).ToArray(), v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
            }
            offset += tensor.Size;
        }
        var wire = new RecordedParts();
        await wire.WriteAsync(new UploadPart { Header = upload.Header });
        await upload.WriteChunksAsync(new ChunkParts<UploadPart>(writer: wire), CancellationToken.None);
        var bytes = wire.Bytes.ToArray();
        // The kept weights and biases moved from 1 and 0, the running statistics from 0 and 1: each is the client's own.
        Assert.All(kept, v => Assert.True(v != 0f && v != 1f, $"kept value {v:R}"));
        foreach (float value in kept)
        {
            Assert.True(bytes.AsSpan().IndexOf(BitConverter.GetBytes(value)) < 0, $"the kept batch-norm value {value:R} is in the uploaded bytes");
        }
        await session.AcceptsAndEndsOnTheSimulatedModel();
    }

    [Fact]
    public async Task DeployedClientsKeepTheirBatchNormAndGiveTheSimulatedModelAndPersonalMetrics()
    {
        var config = SmallMnist.Config("model=cnn-bn", "algorithm.name=fedbn", "clients_per_round=4", "rounds=2", "client.steps=2");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        // No client sent its running statistics: the server's are the initial model's.
        Assert.Equal(ModelZoo.Create("cnn-bn", (ulong)config.GetInt("seed"), server.Run.Options).Buffers, server.Run.Server.Buffers);
        string[] keys = [.. new[] { "personal", "global" }.SelectMany(m => new[] { "mean", "p10", "worst", "std" }.Select(s => $"{m}_accuracy_{s}"))];
        Assert.Equal(run.SimulatedMetrics.Count, server.Run.History.Count);
        foreach (var (simulated, deployed) in run.SimulatedMetrics.Zip(server.Run.History))
        {
            Assert.All(keys, key => Assert.Equal(simulated.Extra[key], deployed.Extra[key]));
        }
        foreach (string folder in run.Folders)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(LoopbackRun.StateFolderOf(folder), "personal.parameters.f32", SearchOption.AllDirectories));
        }
    }
}
