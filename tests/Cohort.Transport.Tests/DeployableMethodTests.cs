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
}
