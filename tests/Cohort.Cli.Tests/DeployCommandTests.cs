using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

/// <summary>serve, join, partition export, cert dev and token add together: a TLS run on loopback with three clients.</summary>
public class DeployCommandTests
{
    private static (int Code, string Out, string Err) Cohort(params string[] args) => CommandLineTests.Cohort(args);

    [Fact]
    public void ServeRefusesAModeItCannotServeBeforeMakingTheRunFolder()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-deploy").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml"), state = Path.Combine(dir, "state");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: logreg\nmode: centralized\npartition:\n  clients: 3\nrounds: 2\n");
            var (code, _, error) = Cohort("serve", exp, "--listen", $"http://127.0.0.1:{LoopbackPort.Free()}", "--state", state);
            Assert.Equal(1, code);
            Assert.Contains("mode: a deployed run is federated; 'centralized' runs with 'cohort run'.", error);
            Assert.False(Directory.Exists(state));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task ServedRunOverTlsFinishesAndARestartSaysSo()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-deploy").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: logreg\npartition:\n  clients: 3\nclients_per_round: 3\nrounds: 2\nclient:\n  steps: 5\neval:\n  clients: false\n");
            string certs = Path.Combine(dir, "certs"), tokensFile = Path.Combine(dir, "tokens.txt"), parts = Path.Combine(dir, "parts"), state = Path.Combine(dir, "state");

            var (code, output, error) = Cohort("cert", "dev", "--out", certs);
            Assert.True(code == 0, error);
            Assert.True(File.Exists(Path.Combine(certs, "server.pfx")) && File.Exists(Path.Combine(certs, "ca.pem")));
            var tokens = new string[3];
            for (int k = 0; k < 3; k++)
            {
                (code, output, error) = Cohort("token", "add", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tokens", tokensFile, "--print");
                Assert.True(code == 0, error);
                tokens[k] = output.Trim();
                Assert.Equal(64, tokens[k].Length);
            }
            (code, _, error) = Cohort("token", "add", "1", "--tokens", tokensFile);
            Assert.Equal(1, code);
            Assert.Contains("already has a token", error);
            (code, output, error) = Cohort("partition", "export", exp, "--out", parts);
            Assert.True(code == 0, error);
            Assert.True(File.Exists(Path.Combine(parts, "client-2", "train-images-idx3-ubyte")));

            string url = $"https://127.0.0.1:{LoopbackPort.Free()}";
            var serve = Task.Run(() => Cohort("serve", exp, "--listen", url, "--cert", Path.Combine(certs, "server.pfx"), "--tokens", tokensFile, "--state", state));
            string ca = Path.Combine(certs, "ca.pem");
            // A wrong token is refused at once, with the reason.
            var refused = await Task.Run(() => Cohort("join", url, "--data", Path.Combine(parts, "client-0"), "--token", "not-a-token", "--ca", ca));
            Assert.Equal(1, refused.Code);
            Assert.Contains("401", refused.Err);
            // Client 0's token from a file (off the command line); the others' as options.
            string tokenFile = Path.Combine(dir, "client-0.token");
            File.WriteAllText(tokenFile, tokens[0] + "\n");
            string[] Credential(int k) => k == 0 ? ["--token-file", tokenFile] : ["--token", tokens[k]];
            var joins = Enumerable.Range(0, 3).Select(k => Task.Run(() => Cohort(["join", url, "--data", Path.Combine(parts, $"client-{k}"), .. Credential(k), "--ca", ca, "--state", Path.Combine(dir, $"client-state-{k}")]))).ToArray();
            var served = await serve.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(served.Code == 0, served.Err);
            foreach (var join in joins)
            {
                var joined = await join.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(joined.Code == 0, joined.Err);
                Assert.Contains("run finished; 2 updates accepted", joined.Err);
            }
            Assert.Equal(2, File.ReadAllLines(Path.Combine(state, "metrics.jsonl")).Length);
            // The same file, byte for byte, as the run simulated.
            string simulated = Path.Combine(dir, "simulated");
            (code, _, error) = Cohort("run", exp, "--out", simulated);
            Assert.True(code == 0, error);
            Assert.Equal(File.ReadAllBytes(Path.Combine(simulated, "model.safetensors")), File.ReadAllBytes(Path.Combine(state, "model.safetensors")));
            Assert.Contains("6 updates accepted", served.Err);

            // The same command again: the run is finished, nothing is redone.
            var again = Cohort("serve", exp, "--listen", url, "--cert", Path.Combine(certs, "server.pfx"), "--tokens", tokensFile, "--state", state);
            Assert.True(again.Code == 0, again.Err);
            Assert.Contains("finished", again.Out);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(state, "metrics.jsonl")).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
