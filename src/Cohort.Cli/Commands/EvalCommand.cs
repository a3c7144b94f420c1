using System.CommandLine;
using System.Globalization;
using Cohort.Data;
using Cohort.Data.Formats;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Partitions;
using Cohort.NN.Adversarial;
using Cohort.NN.Optimizers;
using Cohort.NN.Serialization;
using Cohort.NN.Zoo;

namespace Cohort.Cli.Commands;

/// <summary>`cohort eval --model M --weights FILE.safetensors --data DIR`: a saved model's accuracy and loss on a data set's test split.</summary>
internal static class EvalCommand
{
    public static Command Define(CommandIo io)
    {
        ArgumentNullException.ThrowIfNull(io);
        var model = CliOptions.RequiredText("--model", "M", "the zoo model the weights belong to");
        var weights = CliOptions.RequiredText("--weights", "FILE.safetensors", "the saved model (a run folder's model.safetensors)");
        var data = CliOptions.RequiredText("--data", "DIR|FILE", "the data set whose test split is scored: an IDX folder, a text folder or a CSV file");
        var label = CliOptions.Text("--label", "COLUMN", "CSV: the label column", "label");
        var attack = CliOptions.Text("--attack", "fgsm|pgd", "also measure robust accuracy under this attack");
        var eps = CliOptions.Number("--eps", "E", "the attack's perturbation budget ε", 0.1, min: 0);
        var steps = CliOptions.Int("--steps", "pgd: the attack's steps", 10, min: 1);
        var norm = CliOptions.Text("--norm", "linf|l2", "the norm ε bounds", "linf");
        attack.AcceptOnlyFromAmong("fgsm", "pgd");
        norm.AcceptOnlyFromAmong("linf", "l2");
        var command = new Command("eval", "a saved model's test_accuracy and test_loss (and robust_accuracy), one JSON line")
        {
            model, weights, data, label, attack, eps, steps, norm,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(model), parse.GetRequiredValue(weights), parse.GetRequiredValue(data), parse.GetRequiredValue(label),
            Attack(parse.GetValue(attack), parse.GetValue(eps), parse.GetValue(steps), parse.GetRequiredValue(norm)), io.Out));
        return command;
    }

    private static int Run(string model, string weights, string dataPath, string label, (string Name, PerturbationOptions Options)? attack, TextWriter stdout)
    {
        Dataset test = LoadTest(dataPath, label);
        var data = new FederatedData(new TrainTest(test, test), new Cohort.Data.Partitioning.Partition([], []));
        var worker = new Worker(0, ModelZoo.Create(model, 0, data.ModelOptions), 1, new Sgd(0));
        worker.Model.LoadSafetensors(weights);
        using var executor = new WorkerPool(1, _ => worker);
        var evaluator = new Evaluator(executor, test);
        evaluator.Score(worker.Model.Parameters.ToArray(), worker.Model.Buffers.ToArray());
        var (accuracy, loss) = evaluator.Overall();
        string robust = "";
        if (attack is { } a)
        {
            double robustAccuracy = RobustAccuracy.Evaluate(worker.Model, test, a.Options, seed: 0);
            robust = string.Create(CultureInfo.InvariantCulture,
                $",\"attack\":\"{a.Name}\",\"norm\":\"{(a.Options.Norm == PerturbationNorm.L2 ? "l2" : "linf")}\",\"epsilon\":{a.Options.Epsilon:R},\"steps\":{a.Options.Steps},\"robust_accuracy\":{robustAccuracy:R}");
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"model\":\"{model}\",\"samples\":{test.Count},\"test_accuracy\":{accuracy:R},\"test_loss\":{loss:R}{robust}}}"));
        return 0;
    }

    /// <summary>--attack fgsm|pgd [--eps E] [--steps S] [--norm linf|l2]: the perturbation robust accuracy is measured under.</summary>
    private static (string Name, PerturbationOptions Options)? Attack(string? name, double eps, int steps, string normName)
    {
        var norm = normName == "l2" ? PerturbationNorm.L2 : PerturbationNorm.LInf;
        return name switch
        {
            null => null,
            "fgsm" => (name, PerturbationOptions.Fgsm(eps) with { Norm = norm }),
            _ => (name, PerturbationOptions.Pgd(eps, steps, norm)),
        };
    }

    private static Dataset LoadTest(string path, string label)
    {
        if (Directory.Exists(path) && ImageFolder.Holds(path))
        {
            return ImageFolder.Load(path, Path.GetFileName(path.TrimEnd('/'))).Test;
        }
        if (Directory.Exists(path))
        {
            return TextData.Load(path).Test;
        }
        if (File.Exists(path))
        {
            return CsvData.Load(path, label);
        }
        throw new FileNotFoundException($"--data {path}: no such folder or file.");
    }
}
