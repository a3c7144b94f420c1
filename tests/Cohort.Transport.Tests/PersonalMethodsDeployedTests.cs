using Cohort.Federated.Personal;
using Cohort.Transport.Client;
using Cohort.Transport.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace Cohort.Transport.Tests;

/// <summary>The personalization methods deployed: the kept head never leaves the client (on the uploaded bytes), and the personal metrics are the simulation's.</summary>
public class PersonalMethodsDeployedTests
{
    [Theory]
    [InlineData("fedper")]
    [InlineData("fedrep")]
    public async Task NoUploadedByteCarriesTheHeadTheClientKeeps(string method)
    {
        using var folder = SmallMnist.Temp();
        var states = new ClientStateFolder(folder.Path, 0);
        await using var session = await UploadLayoutRefusalTests.Session.StartAsync(
            SmallMnist.Config($"algorithm.name={method}", "algorithm.personal=fc.bias", "partition.clients=2", "clients_per_round=2", "rounds=1", "client.steps=3", "diagnostics.enabled=false"), states);
        // logreg's head is its last 10 values, fc.bias: the client trained and kept its own.
        var head = new float[10];
        Assert.True(states.TryRead(0, PersonalParameters.ClientState[PersonalParameters.StateName], head));
        var upload = session.Upload;
        Assert.All(upload.Update.Span[^10..].ToArray(), v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
        // The upload's parts as the client puts them on the wire, each serialized as gRPC sends it.
        var wire = new RecordedParts();
        await wire.WriteAsync(new UploadPart { Header = upload.Header });
        await upload.WriteChunksAsync(new ChunkParts<UploadPart>(writer: wire), CancellationToken.None);
        var bytes = wire.Bytes.ToArray();
        foreach (float value in head)
        {
            Assert.NotEqual(0f, value);
            Assert.True(bytes.AsSpan().IndexOf(BitConverter.GetBytes(value)) < 0, $"{method}: the kept head value {value:R} is in the uploaded bytes");
        }
        // The same search finds the values the update does carry.
        float sent = upload.Update.Span[..^10].ToArray().First(v => v != 0);
        Assert.True(bytes.AsSpan().IndexOf(BitConverter.GetBytes(sent)) >= 0);
        await session.AcceptsAndEndsOnTheSimulatedModel();
    }

    [Theory]
    [InlineData("algorithm.name=fedrep", "algorithm.personal=fc.bias", "algorithm.head_epochs=2")]
    [InlineData("algorithm.name=lgfedavg", "algorithm.personal=fc.weight")]
    [InlineData("algorithm.name=finetune", "algorithm.steps=3", "algorithm.personal=fc.bias")]
    [InlineData("algorithm.name=fedavg", "eval.finetune.epochs=1")]
    public async Task DeployedClientsGiveTheSimulatedModelAndPersonalMetrics(params string[] method)
    {
        var config = SmallMnist.Config([.. method, "clients_per_round=4", "rounds=2", "client.steps=4"]);
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await LoopbackRun.RunToEndAsync(server, run, cancel.Token);
        Assert.Equal(run.Simulated, server.Run.Server.Global);
        string[] keys = [.. new[] { "personal", "global" }.SelectMany(m => new[] { "mean", "p10", "worst", "std" }.Select(s => $"{m}_accuracy_{s}"))];
        Assert.Equal(run.SimulatedMetrics.Count, server.Run.History.Count);
        foreach (var (simulated, deployed) in run.SimulatedMetrics.Zip(server.Run.History))
        {
            Assert.All(keys, key => Assert.Equal(simulated.Extra[key], deployed.Extra[key]));
        }
    }
}

/// <summary>Collects the bytes of every part written to a client stream.</summary>
internal sealed class RecordedParts : IAsyncStreamWriter<UploadPart>
{
    public List<byte> Bytes { get; } = [];

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(UploadPart message)
    {
        Bytes.AddRange(message.ToByteArray());
        return Task.CompletedTask;
    }
}
