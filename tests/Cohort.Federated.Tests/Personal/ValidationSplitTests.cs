using Cohort.Data;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Outputs;
using Cohort.Federated.Partitions;
using Cohort.Federated.Sweeps;

namespace Cohort.Federated.Tests.Personal;

/// <summary>partition.validation: each client's validation split, held out of training, and choosing a hyperparameter by it.</summary>
public class ValidationSplitTests
{
    private static ExperimentConfig Config(params string[] settings) => TestExperiments.Config(
        ["model=logreg", "partition.kind=dirichlet", "partition.clients=5", "clients_per_round=5", "rounds=2", "client.steps=3",
         "diagnostics.enabled=false", "eval.finetune.steps=2", .. settings]);

    [Fact]
    public void TheSplitTakesItsFractionOfEachClientsTrainingSamplesAndLeavesTheTestSplitsAsTheyWere()
    {
        var data = TestExperiments.MnistSubset(400, 100);
        var without = FederatedData.Split(data, Config());
        var with = FederatedData.Split(data, Config("partition.validation=0.25"));
        Assert.Empty(without.Validation);
        for (int k = 0; k < 5; k++)
        {
            int n = without.Train[k].Length;
            Assert.Equal((int)Math.Round(0.25 * n), with.Validation[k].Length);
            Assert.Empty(with.Train[k].Intersect(with.Validation[k]));
            Assert.Equal(without.Train[k].Order(), with.Train[k].Concat(with.Validation[k]).Order());
            Assert.Equal(without.Test[k], with.Test[k]);
            // The kept samples keep the partitioner's order.
            Assert.Equal(without.Train[k].Where(i => !with.Validation[k].Contains(i)), with.Train[k]);
        }
        Assert.Equal(with.Validation, FederatedData.Split(data, Config("partition.validation=0.25")).Validation);
        Assert.NotEqual(with.Validation, FederatedData.Split(data, Config("partition.validation=0.25", "seed=1")).Validation);
    }

    [Fact]
    public void TrainingNeverSeesAValidationSample()
    {
        // The validation samples are poisoned (NaN pixels): one step on any of them would turn the model NaN.
        var config = Config("partition.validation=0.3");
        var subset = TestExperiments.MnistSubset(300, 100);
        // A copy of the samples (a subset shares the loaded set's memory), so that the poison stays in this test's data.
        var train = subset.Train;
        var copy = new float[train.Count * train.SampleSize];
        train.CopySamples([.. Enumerable.Range(0, train.Count)], copy, new int[train.Count]);
        var data = new TrainTest(new Dataset(train.Name, copy, train.SampleShape, train.Labels, train.Classes), subset.Test);
        var partition = FederatedData.Split(data, config);
        foreach (int i in partition.Validation.SelectMany(v => v))
        {
            data.Train.Features.AsSpan(i * data.Train.SampleSize, data.Train.SampleSize).Fill(float.NaN);
        }
        using (var run = new FederatedRun(Experiment.From(config), new FederatedData(data, partition)))
        {
            run.Run();
            Assert.All(run.Server.Global.ToArray(), w => Assert.True(float.IsFinite(w)));
            Assert.InRange(run.History[^1].Extra["personal_val_accuracy_mean"], 0, 1);
        }
        // The same data trained on in full does meet the poison.
        var all = Config();
        using var poisoned = new FederatedRun(Experiment.From(all), new FederatedData(data, FederatedData.Split(data, all)));
        Assert.Throws<ArithmeticException>(() => poisoned.Run());
    }

    [Fact]
    public void ValidationAccuracyIsTheSameWhateverTheThreadCount()
    {
        var data = TestExperiments.MnistSubset(300, 100);
        double[] Run(int threads)
        {
            var config = Config("partition.validation=0.2", $"threads={threads}");
            using var run = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            run.Run();
            return [.. run.History.Select(m => m.Extra["personal_val_accuracy_mean"])];
        }
        var one = Run(1);
        Assert.Equal(2, one.Length);
        Assert.Equal(one, Run(2));
    }

    [Fact]
    public void SelectionChoosesByValidationAccuracyAndRefusesATestMetric()
    {
        static MetricsLog Log(double val, double test) => MetricsLog.Parse(
            [$"{{\"round\": 1, \"personal_val_accuracy_mean\": 0.1, \"personal_accuracy_mean\": 0.1}}",
             $"{{\"round\": 2, \"personal_val_accuracy_mean\": {val}, \"personal_accuracy_mean\": {test}}}"], "metrics.jsonl");
        var small = new GridPoint([new("algorithm.lambda", "0.1")]);
        var large = new GridPoint([new("algorithm.lambda", "1")]);
        // λ = 1 has the better test accuracy, λ = 0.1 the better validation accuracy (means 0.75 against 0.7).
        var points = new List<(GridPoint, IReadOnlyList<MetricsLog>)> { (small, [Log(0.8, 0.5), Log(0.7, 0.5)]), (large, [Log(0.7, 0.9), Log(0.7, 0.9)]) };
        var (point, mean) = ValidationSelection.Best(points, "personal_val_accuracy_mean");
        Assert.Same(small, point);
        Assert.Equal(0.75, mean, 1e-12);
        var e = Assert.Throws<ConfigException>(() => ValidationSelection.Best(points, "personal_accuracy_mean"));
        Assert.Contains("--select personal_accuracy_mean", e.Message);
    }
}
