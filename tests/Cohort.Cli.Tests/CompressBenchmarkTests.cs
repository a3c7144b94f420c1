using System.Text.Json;

namespace Cohort.Cli.Tests;

public class CompressBenchmarkTests
{
    [Fact]
    public void BenchCompressPrintsOneJsonLineWithItsSpeedsAndRefusesRoundCodes()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["bench", "compress", "--method", "topk", "--size", "10000", "--seconds", "0.1"], stdout, stderr));
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal("topk", root.GetProperty("method").GetString());
        Assert.True(root.GetProperty("encode_gb_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("decode_gb_per_second").GetDouble() > 0);
        // 100 indices (1 byte gaps mostly), 100 floats, and the frame.
        Assert.InRange(root.GetProperty("bytes").GetInt32(), 500, 700);
        Assert.Equal(2, CommandLine.Run(["bench", "compress", "--method", "powersgd", "--size", "100"], new StringWriter(), stderr));
        Assert.Contains("not a single-message code", stderr.ToString());
    }
}
