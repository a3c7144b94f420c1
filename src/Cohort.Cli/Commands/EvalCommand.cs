using System.Globalization;
using Cohort.Data;
using Cohort.Data.Formats;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Data;
using Cohort.NN.Adversarial;
using Cohort.NN.Optimizers;
using Cohort.NN.Serialization;
using Cohort.NN.Zoo;

namespace Cohort.Cli.Commands;

/// <summary>`cohort eval --model M --weights FILE.safetensors --data DIR`: a saved model's accuracy and loss on a data set's test split.</summary>
public static class EvalCommand
{
    public static int Run(Options options, TextWriter stdout)
    {
        string model = options.String("model") ?? throw new UsageException("eval needs --model (a zoo name).");
        string weights = options.String("weights") ?? throw new UsageException("eval needs --weights FILE.safetensors.");
        string dataPath = options.String("data") ?? throw new UsageException("eval needs --data (an IDX folder, a text folder, or a CSV file).");
        string label = options.String("label", "label");
        var attack = Attack(options);
        options.RejectUnknown();

        Dataset test = LoadTest(dataPath, label);
        var data = new FederatedData(new TrainTest(test, test), new Cohort.Data.Partitioning.Partition([], []));
        var worker = new Worker(0, ModelZoo.Create(model, 0, data.ModelOptions), 1, new Sgd(0));
        worker.Model.LoadSafetensors(weights);
        using var executor = new InProcessExecutor(1, _ => worker);
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
    private static (string Name, PerturbationOptions Options)? Attack(Options options)
    {
        string? name = options.String("attack");
        double eps = options.Double("eps", 0.1, 0);
        int steps = options.Int("steps", 10, 1);
        string normName = options.String("norm", "linf");
        var norm = normName switch
        {
            "linf" => PerturbationNorm.LInf,
            "l2" => PerturbationNorm.L2,
            _ => throw new UsageException($"--norm: '{normName}' is not linf or l2."),
        };
        return name switch
        {
            null => null,
            "fgsm" => (name, PerturbationOptions.Fgsm(eps) with { Norm = norm }),
            "pgd" => (name, PerturbationOptions.Pgd(eps, steps, norm)),
            _ => throw new UsageException($"--attack: '{name}' is not fgsm or pgd."),
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
