using System.Text.Json;
using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

/// <summary>`cohort run` cut after a checkpoint and run again ends bit for bit as the uninterrupted run.</summary>
public class RunCheckpointTests
{
    /// <summary>SCAFFOLD keeps a control variate per client (all but one spilled with no memory budget) and server vectors.</summary>
    private const string Body = """
        model: logreg
        partition:
          clients: 12
        rounds: 6
        clients_per_round: 4
        algorithm:
          name: scaffold
        client:
          steps: 3
          lr: 0.05
        client_state:
          memory_mb: 0
        diagnostics:
          clients: 2
        checkpoint:
          every: 2
        seed: 5

        """;

    /// <summary>
    /// SCAFFOLD as written; PowerSGD (its shared Q and the clients' residuals) with a compressed
    /// broadcast (the clients' view of the model), whose state crosses rounds too; SCAFFOLD with EF21
    /// (the stage's server estimate g, declared when the stage first runs); and FedAdam (two moment
    /// vectors and the optimizer's step count) with centered clipping (its centre and the τ the first
    /// round set, a scalar); and FedBuff, whose clients in flight when the run is cut (trained from
    /// earlier models, not yet arrived) must arrive in the resumed run as they would have.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("algorithm.name=fedavg compression.uplink.name=powersgd compression.downlink.name=int8")]
    [InlineData("compression.uplink.name=topk compression.uplink.error_feedback=ef21")]
    [InlineData("algorithm.name=fedadam aggregator.name=centered-clipping")]
    [InlineData("algorithm.name=fedbuff algorithm.buffer_size=3 algorithm.concurrency=6")]
    public void ARunCutAfterACheckpointResumesToTheUninterruptedModelAndMetrics(string overrides)
    {
        string[] sets = overrides.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(o => new[] { "--set", o }).ToArray();
        var dir = Directory.CreateTempSubdirectory("cohort-checkpoint").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\n" + Body);
            string whole = Path.Combine(dir, "whole"), cut = Path.Combine(dir, "cut");
            var (code, _, error) = CommandLineTests.Cohort(["run", exp, "--out", whole, .. sets]);
            Assert.True(code == 0, error);

            // Interrupted as soon as round 4's checkpoint is saved: the loop stops before round 5.
            using var interrupt = new CancellationTokenSource();
            var log = new InterruptAt("checkpoint: round 4 ", interrupt);
            code = CommandLine.Run(["run", exp, "--out", cut, .. sets], new StringWriter(), log, interrupt.Token);
            Assert.Equal(130, code);
            Assert.False(File.Exists(Path.Combine(cut, "model.safetensors")));
            Assert.Equal(4, Rounds(cut).Count);
            Assert.Contains("\"round\": 4", File.ReadAllText(Path.Combine(cut, "checkpoint", "checkpoint.json")));

            // Another experiment cannot take the folder over.
            (code, _, error) = CommandLineTests.Cohort(["run", exp, "--out", cut, .. sets, "--set", "client.lr=0.1"]);
            Assert.Equal(1, code);
            Assert.Contains("client.lr: 0.05 → 0.1", error);

            (code, _, error) = CommandLineTests.Cohort(["run", exp, "--out", cut, .. sets]);
            Assert.True(code == 0, error);
            Assert.Contains("resuming after round 4", error);
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "model.safetensors")), File.ReadAllBytes(Path.Combine(cut, "model.safetensors")));
            Assert.Equal(Rounds(whole), Rounds(cut));
            Assert.Equal(Summary(whole), Summary(cut));

            var (again, output, _) = CommandLineTests.Cohort(["run", exp, "--out", cut, .. sets]);
            Assert.Equal(0, again);
            Assert.Contains("is finished; nothing to do", output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ADamagedCheckpointIsAnErrorNamingTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-checkpoint").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\n" + Body.Replace("rounds: 6", "rounds: 3", StringComparison.Ordinal));
            string run = Path.Combine(dir, "run");
            using var interrupt = new CancellationTokenSource();
            Assert.Equal(130, CommandLine.Run(["run", exp, "--out", run], new StringWriter(), new InterruptAt("checkpoint: round 2 ", interrupt), interrupt.Token));
            string state = Path.Combine(run, "checkpoint", "client-state-r2.bin");
            var bytes = File.ReadAllBytes(state);
            bytes[bytes.Length / 2] ^= 0x10;
            File.WriteAllBytes(state, bytes);

            var (code, _, error) = CommandLineTests.Cohort("run", exp, "--out", run);
            Assert.Equal(1, code);
            Assert.Contains(state, error);
            Assert.Contains("checksum", error);
            Assert.DoesNotContain("   at ", error);
            // Nothing already written is lost.
            Assert.Equal(2, Rounds(run).Count);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Each round of metrics.jsonl without its wall-clock fields (the only ones that may differ).</summary>
    private static List<string> Rounds(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line =>
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
            return string.Join(",", fields.Where(f => !f.Key.Contains("seconds", StringComparison.Ordinal)).Select(f => $"{f.Key}={f.Value.GetRawText()}"));
        }).ToList();

    private static string Summary(string run)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(Path.Combine(run, "summary.json")))!;
        // Times and the spill file's traffic are what this process spent, not results: a resumed run spends less.
        return string.Join(",", fields.Where(f => !f.Key.Contains("seconds", StringComparison.Ordinal) && f.Key != "client_state")
            .Select(f => $"{f.Key}={f.Value.GetRawText()}"));
    }

    /// <summary>A log that interrupts the run when a line starting with <paramref name="line"/> is written.</summary>
    private sealed class InterruptAt(string line, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.StartsWith(line, StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        }
    }
}
