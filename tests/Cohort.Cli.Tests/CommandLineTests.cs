using System.Text.Json;
using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

public class CommandLineTests
{
    internal static (int Code, string Out, string Err) Cohort(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Experiment(string dir, string body)
    {
        string path = Path.Combine(dir, "exp.yaml");
        File.WriteAllText(path, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\n" + body);
        return path;
    }

    [Fact]
    public void ReportComparesSeveralRunsOnOnePage()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-cli").FullName;
        try
        {
            string exp = Experiment(dir, "model: logreg\npartition:\n  clients: 10\nrounds: 2\nclients_per_round: 5\nclient:\n  lr: 0.1\ndiagnostics:\n  enabled: false\n");
            string dense = Path.Combine(dir, "dense"), fp16 = Path.Combine(dir, "fp16");
            Assert.Equal(0, Cohort("run", exp, "--out", dense).Code);
            Assert.Equal(0, Cohort("run", exp, "--out", fp16, "--set", "compression.uplink.name=fp16").Code);

            var (code, _, error) = Cohort("report", dense, fp16);
            Assert.Equal(2, code);
            Assert.Contains("--out", error);

            string page = Path.Combine(dir, "compare.html");
            (code, string output, error) = Cohort("report", dense, fp16, "--out", page);
            Assert.True(code == 0, error);
            Assert.Contains(page, output);
            string html = File.ReadAllText(page);
            Assert.Contains("<th>dense</th>", html);
            Assert.Contains("<th>fp16</th>", html);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void RunWritesItsFolderAndEvalScoresTheSavedModel()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-cli").FullName;
        try
        {
            string exp = Experiment(dir, "model: logreg\npartition:\n  clients: 10\nrounds: 2\nclients_per_round: 5\nclient:\n  lr: 0.1\n");
            string run = Path.Combine(dir, "run");
            var (code, output, error) = Cohort("run", exp, "--out", run, "--set", "seed=3");
            Assert.True(code == 0, error);
            foreach (string file in new[] { "config.yaml", "metrics.jsonl", "metrics.csv", "summary.json", "partition.json", "model.safetensors", "report.html" })
            {
                Assert.True(File.Exists(Path.Combine(run, file)), file);
            }
            Assert.Contains("seed: 3", File.ReadAllText(Path.Combine(run, "config.yaml")));
            Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
            Assert.Contains("report.html", output);

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
            double final = summary.RootElement.GetProperty("final_test_accuracy").GetDouble();
            (code, output, error) = Cohort("eval", "--model", "logreg", "--weights", Path.Combine(run, "model.safetensors"), "--data", SharedData.Mnist);
            Assert.True(code == 0, error);
            using var eval = JsonDocument.Parse(output);
            Assert.Equal(final, eval.RootElement.GetProperty("test_accuracy").GetDouble(), 9);

            // Another experiment into the same folder is refused, naming what differs, and loses nothing.
            (code, _, error) = Cohort("run", exp, "--out", run);
            Assert.Equal(1, code);
            Assert.Contains("another experiment", error);
            Assert.Contains("seed: 3 → 0", error);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
            // The same experiment again: the run is finished.
            (code, output, _) = Cohort("run", exp, "--out", run, "--set", "seed=3");
            Assert.Equal(0, code);
            Assert.Contains("is finished; nothing to do", output);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ConfigErrorsNameTheKey()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-cli").FullName;
        try
        {
            string exp = Experiment(dir, "roundz: 3\n");
            var (code, _, error) = Cohort("run", exp);
            Assert.Equal(1, code);
            Assert.Contains("unknown key 'roundz'", error);
            exp = Experiment(dir, "");
            (code, _, error) = Cohort("run", exp, "--set", "client.lr=fast");
            Assert.Equal(1, code);
            Assert.Contains("client.lr: 'fast' is not a number", error);
            (code, _, error) = Cohort("run", exp, "--bogus", "1");
            Assert.Equal(2, code);
            Assert.Contains("unknown option --bogus", error);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void PartitionShowPrintsSizesAndLabels()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-cli").FullName;
        try
        {
            string exp = Experiment(dir, "partition:\n  kind: shards\n  clients: 10\n");
            var (code, output, error) = Cohort("partition", "show", exp);
            Assert.True(code == 0, error);
            Assert.Contains("10 clients", output);
            Assert.Contains("60000 training", output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
