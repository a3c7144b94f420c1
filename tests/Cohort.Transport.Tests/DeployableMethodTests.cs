using Cohort.Federated.Config;

namespace Cohort.Transport.Tests;

public class DeployableMethodTests
{
    [Theory]
    [InlineData("scaffold", "scaffold.delta_c")]
    [InlineData("mime", "2 exchanges")]
    [InlineData("mimelite", "mime.grad")]
    [InlineData("fednova", "fednova.")]
    [InlineData("qffl", "qffl.")]
    [InlineData("feddyn", "client state")]
    public async Task ServeRefusesMethodsTheProtocolCannotCarryAtStart(string method, string need)
    {
        var config = SmallMnist.Config($"algorithm.name={method}");
        var error = await Assert.ThrowsAsync<ConfigException>(() => LoopbackRun.StartAsync(config, LoopbackRun.Tokens(4)));
        Assert.Contains($"algorithm.name {method}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(need, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("algorithm.name diana:", "algorithm.name=diana")]
    [InlineData("algorithm.name marina:", "algorithm.name=marina", "clients_per_round=4")]
    [InlineData("compression.uplink.name powersgd:", "compression.uplink.name=powersgd")]
    [InlineData("compression.uplink.name topk:", "compression.uplink.name=topk", "compression.uplink.error_feedback=ef")]
    [InlineData("compression.downlink.name int8:", "compression.downlink.name=int8")]
    public async Task ServeRefusesCompressionTheProtocolCannotCarryAtStart(string message, params string[] settings)
    {
        var config = SmallMnist.Config(settings);
        var error = await Assert.ThrowsAsync<ConfigException>(() => LoopbackRun.StartAsync(config, LoopbackRun.Tokens(4)));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("protocol v1", error.Message, StringComparison.Ordinal);
    }
}
