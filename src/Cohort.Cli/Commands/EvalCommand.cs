using System.Globalization;
using Cohort.Data;
using Cohort.Data.Formats;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Data;
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
        options.RejectUnknown();

        Dataset test = LoadTest(dataPath, label);
        var data = new FederatedData(new TrainTest(test, test), new Cohort.Data.Partitioning.Partition([], []));
        var worker = new Worker(0, ModelZoo.Create(model, 0, data.ModelOptions), 1, new Sgd(0));
        worker.Model.LoadSafetensors(weights);
        using var executor = new InProcessExecutor(1, _ => worker);
        var evaluator = new Evaluator(executor, test);
        evaluator.Score(worker.Model.Parameters.ToArray(), worker.Model.Buffers.ToArray());
        var (accuracy, loss) = evaluator.Overall();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"model\":\"{model}\",\"samples\":{test.Count},\"test_accuracy\":{accuracy:R},\"test_loss\":{loss:R}}}"));
        return 0;
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
