using System.Globalization;
using System.Text.Json;
using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

public class SweepCommandTests
{
    private const string Body = "model: logreg\npartition:\n  kind: dirichlet\n  clients: 6\nrounds: 2\nclients_per_round: 3\nclient:\n  steps: 5\n  lr: 0.1\neval:\n  clients: false\ndiagnostics:\n  enabled: false\ntarget_accuracy: 0.6\n";

    private static string Experiment(string dir)
    {
        string path = Path.Combine(dir, "exp.yaml");
        File.WriteAllText(path, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\n" + Body);
        return path;
    }

    private static double Final(string run) =>
        JsonDocument.Parse(File.ReadLines(Path.Combine(run, "metrics.jsonl")).Last(l => l.Trim().Length > 0)).RootElement.GetProperty("test_accuracy").GetDouble();

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void SweepRunsTheProductGridPerSeedSummarisesItAndSkipsFinishedRuns()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-sweep").FullName;
        try
        {
            string exp = Experiment(dir), output = Path.Combine(dir, "sweep");
            string[] args = ["sweep", exp, "--grid", "client.lr=0.05,0.2", "--grid", "partition.alpha=0.1,0.5", "--seeds", "2", "--out", output];
            var (code, stdout, stderr) = CommandLineTests.Cohort([.. args, "--parallel", "2"]);
            Assert.True(code == 0, stderr);

            // 2 × 2 points × 2 seeds, each a run folder named from its values and seed.
            var names = new List<string>();
            foreach (string lr in new[] { "0.05", "0.2" })
            {
                foreach (string alpha in new[] { "0.1", "0.5" })
                {
                    foreach (int seed in new[] { 0, 1 })
                    {
                        string name = $"lr={lr}_alpha={alpha}_seed={seed}";
                        names.Add(name);
                        string config = File.ReadAllText(Path.Combine(output, name, "config.yaml"));
                        Assert.Contains($"  lr: {lr}\n", config);
                        Assert.Contains($"  alpha: {alpha}\n", config);
                        Assert.Contains($"seed: {seed}\n", config);
                        Assert.True(File.Exists(Path.Combine(output, name, "summary.json")), name);
                    }
                }
            }
            Assert.Equal(names.Order(StringComparer.Ordinal), Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // One row per point, the first axis varying slowest; mean and sample sd (n − 1) from the runs' own metrics.
            var rows = File.ReadAllLines(Path.Combine(output, "sweep.csv"));
            var header = rows[0].Split(',');
            Assert.Equal(["client.lr", "partition.alpha", "seeds", "failed", "final_test_accuracy_mean", "final_test_accuracy_sample_sd"], header[..6]);
            Assert.Equal(["0.05,0.1", "0.05,0.5", "0.2,0.1", "0.2,0.5"], rows[1..].Select(r => string.Join(',', r.Split(',')[..2])));
            var row = rows[4].Split(',');
            Assert.Equal("2", row[2]);
            Assert.Equal("0", row[3]);
            double a = Final(Path.Combine(output, "lr=0.2_alpha=0.5_seed=0")), b = Final(Path.Combine(output, "lr=0.2_alpha=0.5_seed=1"));
            Assert.NotEqual(a, b);
            double mean = (a + b) / 2, sd = Math.Sqrt(((a - mean) * (a - mean) + (b - mean) * (b - mean)) / (2 - 1));
            Assert.Equal(mean, Parse(row[4]), 12);
            Assert.Equal(sd, Parse(row[5]), 12);
            string markdown = File.ReadAllText(Path.Combine(output, "sweep.md"));
            Assert.Contains("sample standard deviation (n − 1)", markdown);
            Assert.Contains($"| 0.2 | 0.5 | 2 | {100 * mean:0.00} ± {100 * sd:0.00} % |", markdown);
            string page = File.ReadAllText(Path.Combine(output, "report.html"));
            Assert.All(names, n => Assert.Contains($"<th>{n}</th>", page));

            // Run again with one run gone: only that one runs; the others are skipped, their files untouched,
            // and the rerun (one run at a time, all cores) gives the same numbers as with two at once.
            var written = names.ToDictionary(n => n, n => File.GetLastWriteTimeUtc(Path.Combine(output, n, "metrics.jsonl")));
            string gone = Path.Combine(output, names[5]);
            double before = Final(gone);
            Directory.Delete(gone, true);
            (code, stdout, stderr) = CommandLineTests.Cohort(args);
            Assert.True(code == 0, stderr);
            Assert.Equal(7, stderr.Split('\n').Count(l => l.Contains("finished earlier; skipped", StringComparison.Ordinal)));
            Assert.DoesNotContain($"{names[0]}: final test accuracy", stderr);
            Assert.Contains($"{names[5]}: final test accuracy", stderr);
            Assert.All(names.Where(n => n != names[5]), n => Assert.Equal(written[n], File.GetLastWriteTimeUtc(Path.Combine(output, n, "metrics.jsonl"))));
            Assert.Equal(before, Final(gone));
            Assert.Equal(rows, File.ReadAllLines(Path.Combine(output, "sweep.csv")));

            // A table-only target: nothing runs again, and every seed reached 0 % at the first evaluated round.
            (code, _, stderr) = CommandLineTests.Cohort([.. args, "--target", "0"]);
            Assert.True(code == 0, stderr);
            Assert.Equal(8, stderr.Split('\n').Count(l => l.Contains("finished earlier; skipped", StringComparison.Ordinal)));
            var targeted = File.ReadAllLines(Path.Combine(output, "sweep.csv"))[1].Split(',');
            Assert.Equal(["0", "2", "1", "0"], targeted[Array.IndexOf(header, "target_accuracy")..(Array.IndexOf(header, "rounds_to_target_sample_sd") + 1)]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("client.lrr=0.1", "client.lrr")]
    [InlineData("client.lr=0.1,fast", "'fast'")]
    [InlineData("client.lr", "--grid 'client.lr'")]
    [InlineData("seed=1,2", "--seeds")]
    [InlineData("partition.kind=dirichlet,shards", "partition.kind=shards")]
    public void ABadGridKeyOrValueIsAnErrorNamingItBeforeAnyRun(string axis, string named)
    {
        var dir = Directory.CreateTempSubdirectory("cohort-sweep").FullName;
        try
        {
            string output = Path.Combine(dir, "sweep");
            var (code, _, stderr) = CommandLineTests.Cohort("sweep", Experiment(dir), "--grid", axis, "--set", "partition.alpha=0.5", "--out", output);
            Assert.Equal(1, code);
            Assert.Contains(named, stderr);
            Assert.False(Directory.Exists(output));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ASweepWithAClippingRuleReportsTheClippedFractionAveragedOverRoundsThenSeeds()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-sweep").FullName;
        try
        {
            string output = Path.Combine(dir, "sweep");
            var (code, _, stderr) = CommandLineTests.Cohort("sweep", Experiment(dir), "--grid", "aggregator.clip=0.5", "--seeds", "2",
                "--set", "partition.alpha=0.5", "--out", output);
            Assert.True(code == 0, stderr);
            // Each run's mean over its evaluated rounds, then the mean over the seeds: computed here from metrics.jsonl.
            double RunMean(string run) => File.ReadLines(Path.Combine(output, run, "metrics.jsonl")).Where(l => l.Trim().Length > 0)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("clipped_fraction").GetDouble()).Average();
            double expected = (RunMean("clip=0.5_seed=0") + RunMean("clip=0.5_seed=1")) / 2;
            Assert.InRange(expected, 1e-9, 1);
            var rows = File.ReadAllLines(Path.Combine(output, "sweep.csv"));
            int column = Array.IndexOf(rows[0].Split(','), "clipped_fraction_mean");
            Assert.True(column >= 0, rows[0]);
            Assert.Equal(expected, Parse(rows[1].Split(',')[column]), 12);
            Assert.Contains("| clipped fraction |", File.ReadAllText(Path.Combine(output, "sweep.md")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
