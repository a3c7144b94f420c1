using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

public class RobustnessCommandTests
{
    [Fact]
    public void GridWritesOneRowPerCellAsCsvMarkdownAndHeatmap()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-robust").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: logreg\npartition:\n  clients: 6\nrounds: 1\nclients_per_round: 6\nclient:\n  lr: 0.1\n  steps: 20\n");
            string output = Path.Combine(dir, "grid");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = CommandLine.Run(["robustness", exp, "--aggregators", "mean,median,krum", "--attacks", "nan,bit-flip", "--byzantine", "2", "--out", output], stdout, stderr);
            Assert.True(code == 0, stderr.ToString());
            var rows = File.ReadAllLines(Path.Combine(output, "robustness.csv"));
            Assert.StartsWith("aggregator,attack,byzantine,test_accuracy,honest_client_accuracy", rows[0]);
            Assert.Equal(1 + 3 * 2, rows.Length);
            // Krum needs 2f + 3 = 7 updates and the round has 6: recorded with its reason, not fatal.
            Assert.Contains(rows, r => r.StartsWith("krum,nan,2,,", StringComparison.Ordinal) && r.Contains("2f + 3"));
            var median = rows.Single(r => r.StartsWith("median,bit-flip,2,", StringComparison.Ordinal)).Split(',');
            Assert.InRange(double.Parse(median[3], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1);
            Assert.InRange(double.Parse(median[4], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1);
            Assert.Contains("| median | bit-flip | 2 |", File.ReadAllText(Path.Combine(output, "robustness.md")));
            string html = File.ReadAllText(Path.Combine(output, "report.html"));
            Assert.Contains("<h2>2 Byzantine</h2>", html);
            Assert.Contains("hsl(", html);

            // Bad lists are usage errors naming the option; the finished grid is not overwritten.
            code = CommandLine.Run(["robustness", exp, "--aggregators", "mean", "--attacks", "nan", "--byzantine", "two", "--out", Path.Combine(dir, "other")], stdout, stderr);
            Assert.Equal(2, code);
            Assert.Contains("--byzantine", stderr.ToString());
            code = CommandLine.Run(["robustness", exp, "--aggregators", "mean", "--attacks", "nan", "--byzantine", "1", "--out", output], stdout, stderr);
            Assert.Equal(1, code);
            Assert.Equal(7, File.ReadAllLines(Path.Combine(output, "robustness.csv")).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
