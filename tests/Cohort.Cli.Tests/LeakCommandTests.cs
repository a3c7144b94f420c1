using System.Text.Json;
using BigGustave;
using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

/// <summary>`cohort leak`: one JSON line of scores, PNG images that decode to the scored pixels, an index.html that shows them; bad input is one line naming it.</summary>
public sealed class LeakCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cohort-leak").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    [Fact]
    public void TheAnalyticAttackOnLogisticRegressionRecoversTheImagesAndLabels()
    {
        string output = Path.Combine(_folder, "analytic");
        var (code, stdout, stderr) = CommandLineTests.Cohort("leak", "--model", "logreg", "--data", SharedData.Mnist, "--attack", "analytic", "--images", "2", "--seed", "3", "--out", output);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.Equal("analytic", root.GetProperty("attack").GetString());
        Assert.Equal("none", root.GetProperty("defence").GetString());
        Assert.Equal(1.0, root.GetProperty("label_accuracy").GetDouble());
        var images = root.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        foreach (var image in images)
        {
            Assert.Equal(image.GetProperty("true_label").GetInt32(), image.GetProperty("label").GetInt32());
            Assert.True(image.GetProperty("ssim").GetDouble() > 0.999);
        }

        string html = File.ReadAllText(Path.Combine(output, "index.html"));
        for (int i = 0; i < 2; i++)
        {
            Assert.Contains($"src=\"original-{i}.png\"", html, StringComparison.Ordinal);
            Assert.Contains($"src=\"reconstructed-{i}.png\"", html, StringComparison.Ordinal);
            // An exact reconstruction decodes to the original's pixels.
            var original = Png.Open(File.ReadAllBytes(Path.Combine(output, $"original-{i}.png")));
            var reconstructed = Png.Open(File.ReadAllBytes(Path.Combine(output, $"reconstructed-{i}.png")));
            Assert.Equal((28, 28), (original.Width, original.Height));
            Assert.Contains(Enumerable.Range(0, 28 * 28), k => original.GetPixel(k % 28, k / 28).R > 128);
            Assert.All(Enumerable.Range(0, 28 * 28), k => Assert.Equal(original.GetPixel(k % 28, k / 28), reconstructed.GetPixel(k % 28, k / 28)));
        }
    }

    [Fact]
    public void DpNoiseDefeatsTheAnalyticAttackAndReportsItsEpsilon()
    {
        var (code, stdout, stderr) = CommandLineTests.Cohort("leak", "--model", "logreg", "--data", SharedData.Mnist, "--attack", "analytic", "--defence", "dp", "--epsilon", "1", "--out", Path.Combine(_folder, "dp"));
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("dp", root.GetProperty("defence").GetString());
        Assert.True(root.GetProperty("epsilon").GetDouble() <= 1.0 + 1e-6);
        Assert.True(root.GetProperty("noise_multiplier").GetDouble() > 1);
        Assert.True(root.GetProperty("psnr").GetDouble() < 15, stdout);
    }

    [Theory]
    [InlineData("--attack", "--model", "logreg", "--attack", "gan")]
    [InlineData("Unknown model 'vgg'", "--model", "vgg", "--attack", "analytic")]
    [InlineData("does not start with a fully connected layer", "--model", "cnn", "--attack", "analytic")]
    [InlineData("--noise", "--model", "logreg", "--attack", "analytic", "--noise", "2")]
    public void BadInputIsOneLineNamingIt(string named, params string[] args)
    {
        var (code, _, stderr) = CommandLineTests.Cohort(["leak", "--data", SharedData.Mnist, "--out", Path.Combine(_folder, "bad"), .. args]);
        Assert.NotEqual(0, code);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingDataIsNamed()
    {
        string missing = Path.Combine(_folder, "no-such-data");
        var (code, _, stderr) = CommandLineTests.Cohort("leak", "--model", "logreg", "--data", missing, "--attack", "analytic", "--out", Path.Combine(_folder, "x"));
        Assert.Equal(1, code);
        Assert.Contains($"--data {missing}", stderr, StringComparison.Ordinal);
    }
}
