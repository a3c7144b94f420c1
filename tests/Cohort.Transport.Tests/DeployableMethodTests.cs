using Cohort.Federated.Config;

namespace Cohort.Transport.Tests;

public class DeployableMethodTests
{
    [Theory]
    [InlineData("compression.downlink.name int8:", "missed a round", "compression.downlink.name=int8")]
    public async Task ServeRefusesCompressionItCannotCarryAtStart(string message, string why, params string[] settings)
    {
        var config = SmallMnist.Config(settings);
        var error = await Assert.ThrowsAsync<ConfigException>(() => LoopbackRun.StartAsync(config, LoopbackRun.Tokens(4)));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
