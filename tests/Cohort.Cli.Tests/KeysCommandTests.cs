using Cohort.Federated.Components;
using Cohort.Federated.Config;

namespace Cohort.Cli.Tests;

public class KeysCommandTests
{
    /// <summary>The line of <paramref name="key"/> in a listing: "  key  type; default D. doc".</summary>
    private static string? Line(string listing, string key) =>
        listing.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.TrimStart().StartsWith(key + " ", StringComparison.Ordinal));

    [Fact]
    public void ListsEveryKeyWithItsTypeDefaultAndDoc()
    {
        var (code, listing, error) = CommandLineTests.Cohort("keys");
        Assert.True(code == 0, error);
        Assert.All(ExperimentKeys.All.Keys, key => Assert.NotNull(Line(listing, key)));
        Assert.Matches(@"^\s+client\.lr\s+number ≥ 0; default 0\.05\. local learning rate$", Line(listing, "client.lr"));
        Assert.Matches(@"^\s+rounds\s+integer ≥ 1; default 100\. communication rounds$", Line(listing, "rounds"));
        Assert.Contains("default unset.", Line(listing, "target_accuracy"), StringComparison.Ordinal);
        // The same text as the registry writes: the command adds nothing of its own.
        var direct = new StringWriter();
        KeyReference.Write(direct, null);
        Assert.Equal(direct.ToString(), listing);
    }

    [Fact]
    public void AComponentShowsItsOwnKeys()
    {
        var (code, fedprox, error) = CommandLineTests.Cohort("keys", "fedprox");
        Assert.True(code == 0, error);
        Assert.NotNull(Line(fedprox, "algorithm.mu"));
        Assert.Null(Line(fedprox, "client.lr"));

        string topk = CommandLineTests.Cohort("keys", "topk").Out;
        Assert.NotNull(Line(topk, "compression.uplink.k"));
        Assert.Null(Line(topk, "compression.uplink.s"));

        Assert.Null(Line(CommandLineTests.Cohort("keys", "fedavg").Out, "algorithm.server_momentum"));
        Assert.NotNull(Line(CommandLineTests.Cohort("keys", "fedavgm").Out, "algorithm.server_momentum"));
    }

    [Fact]
    public void AnUnknownComponentIsAnError()
    {
        var (code, output, error) = CommandLineTests.Cohort("keys", "fedprocks");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("'fedprocks'", error, StringComparison.Ordinal);
        Assert.Contains("fedprox", error, StringComparison.Ordinal);
    }
}
