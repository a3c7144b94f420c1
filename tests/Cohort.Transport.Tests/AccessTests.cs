using Cohort.Transport.Client;
using Cohort.Transport.Server;

namespace Cohort.Transport.Tests;

public class AccessTests
{
    [Fact]
    public async Task WithoutTokensNoClientIsAccepted()
    {
        var config = SmallMnist.Config("partition.clients=1", "clients_per_round=1");
        await using var server = await LoopbackRun.StartAsync(config, new Dictionary<int, string>());
        using var client = new ProtocolClient(server.Address, "any-token-at-all");
        var refused = await Assert.ThrowsAsync<ServerRejectedException>(() => client.SettingsAsync(CancellationToken.None));
        Assert.Equal(401, refused.Status);
        Assert.Equal(0, server.Registry.Count);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://10.1.2.3:8080")]
    public void CleartextIsServedOnLoopbackOnly(string url)
    {
        var refused = Assert.Throws<FormatException>(() => ListenAddress.Parse(url));
        Assert.Contains("loopback", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", false)]
    [InlineData("http://localhost:9000", false)]
    [InlineData("https://0.0.0.0:8443", true)]
    public void ListenAddressesParse(string url, bool tls) => Assert.Equal(tls, ListenAddress.Parse(url).Tls);
}
