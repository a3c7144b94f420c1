using System.Text.Json;
using Cohort.Data.Tests;

namespace Cohort.Cli.Tests;

public class AdversarialEvalTests
{
    [Fact]
    public void EvalReportsRobustAccuracyUnderFgsmAndPgd()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-adv").FullName;
        try
        {
            string exp = Path.Combine(dir, "exp.yaml");
            File.WriteAllText(exp, $"dataset:\n  name: mnist\n  root: {SharedData.Mnist}\nmodel: logreg\npartition:\n  clients: 4\nrounds: 1\nclients_per_round: 4\nclient:\n  lr: 0.1\n  steps: 30\neval:\n  clients: false\n");
            string run = Path.Combine(dir, "run");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Assert.True(CommandLine.Run(["run", exp, "--out", run], stdout, stderr) == 0, stderr.ToString());
            string weights = Path.Combine(run, "model.safetensors");

            JsonElement Eval(params string[] extra)
            {
                var output = new StringWriter();
                var errors = new StringWriter();
                int code = CommandLine.Run(["eval", "--model", "logreg", "--weights", weights, "--data", SharedData.Mnist, .. extra], output, errors);
                Assert.True(code == 0, errors.ToString());
                return JsonDocument.Parse(output.ToString()).RootElement.Clone();
            }
            var fgsm = Eval("--attack", "fgsm", "--eps", "0.2");
            double clean = fgsm.GetProperty("test_accuracy").GetDouble();
            double robustFgsm = fgsm.GetProperty("robust_accuracy").GetDouble();
            Assert.Equal("fgsm", fgsm.GetProperty("attack").GetString());
            Assert.True(robustFgsm < clean - 0.3, $"clean {clean}, FGSM {robustFgsm}");
            var pgd = Eval("--attack", "pgd", "--eps", "0.2", "--steps", "5");
            Assert.True(pgd.GetProperty("robust_accuracy").GetDouble() <= robustFgsm + 0.02, "PGD is at least as strong as FGSM here");
            Assert.False(Eval().TryGetProperty("robust_accuracy", out _));

            var errs = new StringWriter();
            Assert.Equal(2, CommandLine.Run(["eval", "--model", "logreg", "--weights", weights, "--data", SharedData.Mnist, "--attack", "cw"], new StringWriter(), errs));
            Assert.Contains("--attack", errs.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
