using Cohort.Federated.Config;

namespace Cohort.Transport.Tests;

public class DeployableMethodTests
{
    [Theory]
    [InlineData("centralized")]
    [InlineData("local")]
    public async Task ServeRefusesTheBaselinesAtStart(string mode)
    {
        var config = SmallMnist.Config($"mode={mode}");
        var error = await Assert.ThrowsAsync<ConfigException>(() => LoopbackRun.StartAsync(config, LoopbackRun.Tokens(4)));
        Assert.Equal($"mode: a deployed run is federated; '{mode}' runs with 'cohort run'.", error.Message);
    }

    [Fact]
    public async Task ServeRefusesAValidationSplitAtStart()
    {
        var config = SmallMnist.Config("partition.validation=0.1");
        var error = await Assert.ThrowsAsync<ConfigException>(() => LoopbackRun.StartAsync(config, LoopbackRun.Tokens(4)));
        Assert.StartsWith("partition.validation:", error.Message, StringComparison.Ordinal);
    }
}
