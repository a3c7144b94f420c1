using Cohort.Federated.Config;

namespace Cohort.Cli.Tests;

public class KeysCommandTests
{
    /// <summary>The table's row of <paramref name="key"/>: its fields, split on runs of two or more spaces.</summary>
    private static string[]? Row(string table, string key) =>
        table.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Split(l.TrimEnd(), " {2,}")).FirstOrDefault(f => f[0] == key);

    [Fact]
    public void ListsEveryKeyWithItsTypeDefaultAndDoc()
    {
        var (code, table, error) = CommandLineTests.Cohort("keys");
        Assert.True(code == 0, error);
        Assert.All(ExperimentKeys.All.Keys, key => Assert.NotNull(Row(table, key)));
        Assert.Equal(["client.lr", "number", "0.05", "local learning rate"], Row(table, "client.lr")!);
        Assert.Equal(["rounds", "integer", "100", "communication rounds"], Row(table, "rounds")!);
        // No default: unset unless given.
        Assert.Equal("-", Row(table, "target_accuracy")![2]);
        Assert.StartsWith("local optimizer (one of: sgd, adam,", Row(table, "client.optimizer")![3], StringComparison.Ordinal);
    }

    [Fact]
    public void AComponentShowsTheKeysThatNameIt()
    {
        var (code, fedprox, error) = CommandLineTests.Cohort("keys", "fedprox");
        Assert.True(code == 0, error);
        Assert.NotNull(Row(fedprox, "algorithm.mu"));
        Assert.NotNull(Row(fedprox, "algorithm.name"));
        Assert.Null(Row(fedprox, "client.lr"));

        string topk = CommandLineTests.Cohort("keys", "topk").Out;
        Assert.NotNull(Row(topk, "compression.uplink.k"));
        Assert.NotNull(Row(topk, "compression.downlink.k"));
        Assert.Null(Row(topk, "compression.uplink.s"));

        // Whole names only: fedavg is not fedavgm.
        string fedavg = CommandLineTests.Cohort("keys", "fedavg").Out;
        Assert.NotNull(Row(fedavg, "algorithm.name"));
        Assert.Null(Row(fedavg, "algorithm.server_momentum"));
        Assert.NotNull(Row(CommandLineTests.Cohort("keys", "fedavgm").Out, "algorithm.server_momentum"));
    }

    [Fact]
    public void AnUnknownComponentIsAnError()
    {
        var (code, output, error) = CommandLineTests.Cohort("keys", "fedprocks");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown component 'fedprocks'", error, StringComparison.Ordinal);
    }
}
