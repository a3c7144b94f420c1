using System.Security.Authentication;
using Cohort.Transport.Client;
using Cohort.Transport.Durability;
using Cohort.Transport.Security;
using Cohort.Transport.Server;
using Cohort.Transport.Wire;

namespace Cohort.Transport.Tests;

/// <summary>What a registration may say, what the server's records keep of it, and a client that meets a refusal no retry can change.</summary>
public class RegistrationTests
{
    [Theory]
    [InlineData(0L, 10L, "a client without training data")]
    [InlineData(3_000_000_000L, 10L, "1 to 2147483647")]
    [InlineData(5L, -1L, "-1 test samples")]
    [InlineData(5L, 3_000_000_000L, "3000000000 test samples")]
    public void ARegistrationWithoutTrainingSamplesOrWithCountsOutOfRangeIsRefusedAndNotRecorded(long train, long test, string reason)
    {
        var recorded = new List<ClientRegistry.Registration>();
        var registry = new ClientRegistry(2, recorded.Add);
        var refusal = Assert.Throws<ProtocolException>(() => registry.Register(0, train, test));
        Assert.Equal(422, refusal.Status);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
        Assert.Empty(recorded);
        // The client with the data registers afterwards: nothing bound its weight.
        registry.Register(0, 600, 100);
        Assert.Equal(600, registry.Find(0)!.TrainSamples);
    }

    [Fact]
    public void ARestartedServersRecordsSayWhichClientsScoreTheirTestSplits()
    {
        using var temp = SmallMnist.Temp();
        using (var store = ServerStore.Open(temp.Path))
        {
            var registry = new ClientRegistry(3, store.SaveClient);
            registry.Register(0, 50, 10, scoresTestSplit: true);
            registry.Register(1, 60, 10, scoresTestSplit: false);
            // Said again with the same counts: the records follow the flag.
            registry.Register(2, 70, 10, scoresTestSplit: false);
            registry.Register(2, 70, 10, scoresTestSplit: true);
        }
        using var reopened = ServerStore.Open(temp.Path);
        Assert.Equal([(0, true), (1, false), (2, true)], reopened.Clients().Select(r => (r.Client, r.ScoresTestSplit)));
    }

    [Fact]
    public async Task AClientWhoseTrainingCountDiffersFromTheRecordStopsWithTheConflictInsteadOfRetrying()
    {
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2", "rounds=1");
        using var run = LoopbackRun.Prepare(config);
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens);
        server.Registry.Register(0, 1, 0);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The retry window is longer than the test's limit: a client that retried the conflict would be cancelled, not refused.
        var options = new JoinOptions { Server = server.Address, Token = run.Tokens[0], DataPath = run.Folders[0], StateFolder = LoopbackRun.StateFolderOf(run.Folders[0]), RetryWindow = TimeSpan.FromMinutes(5) };
        var refusal = await Assert.ThrowsAsync<ServerRejectedException>(() => new JoinSession(options, TextWriter.Null).RunAsync(cancel.Token));
        Assert.Equal(409, refusal.Status);
        Assert.Contains("weight cannot change", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientThatDoesNotTrustTheServersCertificateStopsWithThatReasonInsteadOfRetrying()
    {
        var config = SmallMnist.Config("partition.clients=2", "clients_per_round=2", "rounds=1");
        using var run = LoopbackRun.Prepare(config);
        var (certificate, _) = DevCertificates.Create(Path.Combine(run.Temp.Path, "certs"));
        var (_, otherAuthority) = DevCertificates.Create(Path.Combine(run.Temp.Path, "other"));
        await using var server = await LoopbackRun.StartAsync(config, run.Tokens, o => o with { Listen = ListenAddress.Parse("https://127.0.0.1:0"), CertificatePath = certificate });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var options = new JoinOptions { Server = server.Address, Token = run.Tokens[0], DataPath = run.Folders[0], CaPath = otherAuthority, RetryWindow = TimeSpan.FromMinutes(5) };
        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => new JoinSession(options, TextWriter.Null).RunAsync(cancel.Token));
        Assert.IsType<AuthenticationException>(refusal.InnerException);
    }
}
