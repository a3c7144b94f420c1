using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

/// <summary>
/// Short runs of every example file end on the metrics and the model recorded in
/// <c>Goldens/</c>, bit for bit: reshaping the engine must not change a single result. Every
/// field of metrics.jsonl is compared except the wall-clock ones. <c>scripts/make-goldens.sh</c>
/// records them again (COHORT_WRITE_GOLDENS=1) when a result is meant to change.
/// </summary>
public class GoldenRunTests
{
    private const int Rounds = 2;

    public static TheoryData<string> Examples()
    {
        string root = Path.Combine(Repository, "examples");
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleRunEndsOnItsGolden(string example)
    {
        string file = Path.Combine(Repository, "examples", example);
        var dir = Directory.CreateTempSubdirectory("cohort-golden").FullName;
        try
        {
            var args = new List<string> { "run", file, "--out", dir, "--set", $"rounds={Rounds}", "--set", "threads=2" };
            if (DataSetOf(file) is { } folder)
            {
                args.AddRange(["--set", $"dataset.root={folder}"]);
            }
            var (code, _, error) = CommandLineTests.Cohort([.. args]);
            Assert.True(code == 0, error);
            Check(GoldenName(example), dir);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A deployed run (serve and three joins on loopback, SCAFFOLD so client state travels) ends on its golden.</summary>
    [Fact]
    public async Task DeployedRunEndsOnItsGolden()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-golden").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: mlp\nalgorithm:\n  name: scaffold\npartition:\n  kind: dirichlet\n  alpha: 0.5\n  clients: 3\nclients_per_round: 3\nrounds: {Rounds}\nclient:\n  steps: 20\nseed: 3\n");
            string tokensFile = Path.Combine(dir, "tokens.txt"), parts = Path.Combine(dir, "parts"), state = Path.Combine(dir, "state");
            var tokens = Enumerable.Range(0, 3).Select(k => CommandLineTests.Cohort("token", "add", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tokens", tokensFile, "--print").Out.Trim()).ToArray();
            Assert.Equal(0, CommandLineTests.Cohort("partition", "export", exp, "--out", parts).Code);
            string url = $"http://127.0.0.1:{LoopbackPort.Free()}";
            var serve = Task.Run(() => CommandLineTests.Cohort("serve", exp, "--listen", url, "--tokens", tokensFile, "--state", state));
            var joins = Enumerable.Range(0, 3).Select(k => Task.Run(() => CommandLineTests.Cohort("join", url, "--data", Path.Combine(parts, $"client-{k}"), "--token", tokens[k], "--state", Path.Combine(dir, $"client-state-{k}")))).ToArray();
            var served = await serve.WaitAsync(TimeSpan.FromSeconds(180));
            Assert.True(served.Code == 0, served.Err);
            foreach (var join in joins)
            {
                var joined = await join.WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(joined.Code == 0, joined.Err);
            }
            Check("deployed-scaffold", state);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The run folder's metrics (wall-clock fields dropped) and the SHA-256 of its final model, as one document.</summary>
    public static string Fingerprint(string metricsFile, string modelFile)
    {
        var rounds = new JsonArray();
        foreach (string line in File.ReadLines(metricsFile).Where(l => l.Length > 0))
        {
            var row = JsonNode.Parse(line)!.AsObject();
            foreach (string key in row.Select(p => p.Key).Where(IsWallClock).ToList())
            {
                row.Remove(key);
            }
            rounds.Add(row);
        }
        var document = new JsonObject
        {
            ["model_sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelFile))),
            ["metrics"] = rounds,
        };
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Compares a run folder (or a deployed server's state folder) with its golden, or records it when asked.</summary>
    internal static void Check(string name, string runFolder)
    {
        string actual = Fingerprint(Path.Combine(runFolder, "metrics.jsonl"), Path.Combine(runFolder, "model.safetensors"));
        string golden = Path.Combine(Repository, "tests", "Cohort.Cli.Tests", "Goldens", name + ".json");
        if (Environment.GetEnvironmentVariable("COHORT_WRITE_GOLDENS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, actual, new UTF8Encoding(false));
            return;
        }
        Assert.True(File.Exists(golden), $"no golden {golden}; record it with scripts/make-goldens.sh");
        Assert.Equal(File.ReadAllText(golden), actual);
    }

    private static bool IsWallClock(string key) => key is "seconds" or "eval_seconds" || (key.EndsWith("_seconds", StringComparison.Ordinal) && !key.StartsWith("simulated", StringComparison.Ordinal));

    private static string GoldenName(string example) => "example-" + Path.ChangeExtension(example, null).Replace('/', '-');

    /// <summary>The folder of the data set an example names (its own root may point at ../shared, absent on a fresh machine).</summary>
    private static string? DataSetOf(string file)
    {
        string text = File.ReadAllText(file);
        return text.Contains("name: fashion-mnist", StringComparison.Ordinal) ? SharedData.FashionMnist
            : text.Contains("name: mnist", StringComparison.Ordinal) ? SharedData.Mnist
            : text.Contains("fortunes", StringComparison.Ordinal) ? SharedData.Fortunes
            : null;
    }

    internal static string Repository
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("the repository's examples folder was not found above " + AppContext.BaseDirectory);
        }
    }
}
