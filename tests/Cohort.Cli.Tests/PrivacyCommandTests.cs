using System.Text.Json;

namespace Cohort.Cli.Tests;

/// <summary>`cohort privacy epsilon|delta|sigma`: one JSON line each, with the figures of the reference suites; bad input is one line and exit code 2.</summary>
public class PrivacyCommandTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, output, error) = CommandLineTests.Cohort(args);
        Assert.True(code == 0, error);
        string line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var document = JsonDocument.Parse(line, new JsonDocumentOptions());
        return document.RootElement.Clone();
    }

    /// <summary>tensorflow/privacy compute_dp_sgd_privacy_test.py, test_compute_dp_sgd_example_privacy: q = 0.01, σ = 0.7, 120 steps, δ = 1e-5 → RDP 3.2392676, PLD 2.4612381.</summary>
    [Fact]
    public void EpsilonPrintsTheGuaranteeAndHowItWasAccounted()
    {
        var rdp = Json("privacy", "epsilon", "--q", "0.01", "--sigma", "0.7", "--steps", "120", "--delta", "1e-5");
        Assert.Equal(3.2392676, rdp.GetProperty("epsilon").GetDouble(), 6);
        Assert.Equal(1e-5, rdp.GetProperty("delta").GetDouble());
        Assert.Equal(0.7, rdp.GetProperty("sigma").GetDouble());
        Assert.True(rdp.GetProperty("order").GetDouble() > 1);
        Assert.Equal("rdp", rdp.GetProperty("accountant").GetString());
        Assert.Equal("improved", rdp.GetProperty("conversion").GetString());

        var pld = Json("privacy", "epsilon", "--q", "0.01", "--sigma", "0.7", "--steps", "120", "--delta", "1e-5", "--accountant", "pld");
        Assert.Equal(2.4612381, pld.GetProperty("epsilon").GetDouble(), 4);
        Assert.Equal("pld", pld.GetProperty("accountant").GetString());
        Assert.False(pld.TryGetProperty("order", out _));

        var classic = Json("privacy", "epsilon", "--q", "0.01", "--sigma", "0.7", "--steps", "120", "--delta", "1e-5", "--conversion", "classic");
        Assert.Equal("classic", classic.GetProperty("conversion").GetString());
        Assert.True(classic.GetProperty("epsilon").GetDouble() > rdp.GetProperty("epsilon").GetDouble());
    }

    /// <summary>delta inverts epsilon; sigma returns noise whose ε meets the target.</summary>
    [Fact]
    public void DeltaAndSigmaAnswerTheOtherQuestions()
    {
        var delta = Json("privacy", "delta", "--q", "0.01", "--sigma", "0.7", "--steps", "120", "--epsilon", "3.239267649500826");
        Assert.Equal(1e-5, delta.GetProperty("delta").GetDouble(), 9);

        var sigma = Json("privacy", "sigma", "--q", "0.01", "--steps", "120", "--epsilon", "3.2392676", "--delta", "1e-5");
        Assert.Equal(0.7, sigma.GetProperty("sigma").GetDouble(), 4);
        Assert.True(sigma.GetProperty("epsilon").GetDouble() <= 3.2392676);
    }

    /// <summary>No noise has no finite ε: written as "Infinity", which System.Text.Json reads back as a number.</summary>
    [Fact]
    public void InfiniteEpsilonIsWrittenAsInfinity()
    {
        var json = Json("privacy", "epsilon", "--q", "0.1", "--sigma", "0", "--steps", "3", "--delta", "0.1");
        Assert.Equal("Infinity", json.GetProperty("epsilon").GetString());
        Assert.False(json.TryGetProperty("order", out _));
        Assert.Equal(double.PositiveInfinity, JsonSerializer.Deserialize<double>(json.GetProperty("epsilon").GetRawText(),
            new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
    }

    [Theory]
    [InlineData("option --q: the sampling rate q must lie in [0, 1]", "epsilon", "--q", "1.5", "--sigma", "1", "--steps", "3", "--delta", "1e-5")]
    [InlineData("option --q: the sampling rate q must lie in [0, 1]", "sigma", "--q", "-0.5", "--steps", "3", "--epsilon", "1", "--delta", "1e-5")]
    [InlineData("option --sigma: the noise multiplier σ must be finite and at least 0", "epsilon", "--q", "0.1", "--sigma", "-1", "--steps", "3", "--delta", "1e-5")]
    [InlineData("option --delta: δ must lie in (0, 1)", "epsilon", "--q", "0.1", "--sigma", "1", "--steps", "3", "--delta", "1")]
    [InlineData("option --delta: δ must lie in (0, 1)", "epsilon", "--q", "0.1", "--sigma", "1", "--steps", "3", "--delta", "0")]
    [InlineData("option --epsilon: ε must be at least 0", "delta", "--q", "0.1", "--sigma", "1", "--steps", "3", "--epsilon", "-2")]
    [InlineData("option --steps: '3.5' is not a whole number", "epsilon", "--q", "0.1", "--sigma", "1", "--steps", "3.5", "--delta", "0.1")]
    [InlineData("--accountant", "epsilon", "--q", "0.1", "--sigma", "1", "--steps", "3", "--delta", "0.1", "--accountant", "gdp")]
    [InlineData("--steps", "epsilon", "--q", "0.1", "--sigma", "1", "--delta", "0.1")]
    public void BadInputIsOneLineNamingIt(string expected, params string[] args)
    {
        var (code, output, error) = CommandLineTests.Cohort(["privacy", .. args]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cohort: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
