using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

/// <summary>`cohort serve` stopped by SIGTERM (a service manager's stop) as by Ctrl-C: it exits 130 and the same command resumes the run.</summary>
public class StopSignalTests
{
    [Fact]
    public async Task ServeStopsOnSigtermAndTheSameCommandResumes()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-sigterm").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml"), state = Path.Combine(dir, "state");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: logreg\npartition:\n  clients: 2\nrounds: 2\n");
            string[] serve = ["serve", exp, "--listen", $"http://127.0.0.1:{LoopbackPort.Free()}", "--state", state];
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            foreach (string start in new[] { "first", "resumed" })
            {
                using var server = new ChildProcess(serve);
                await server.WaitForLine("listening on", cancel.Token);
                server.Terminate();
                Assert.True(await server.ExitCode(cancel.Token) == 130, $"{start} start: {server.Output}");
                Assert.Contains("interrupted; the run stops here.", server.Output, StringComparison.Ordinal);
            }
            Assert.True(File.Exists(Path.Combine(state, "state.db")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
