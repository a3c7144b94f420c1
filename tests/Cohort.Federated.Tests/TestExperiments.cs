using Cohort.Data;
using Cohort.Data.Tests;
using Cohort.Federated.Config;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Tests;

/// <summary>Small experiments over subsets of MNIST, built in memory.</summary>
public static class TestExperiments
{
    private static readonly Lazy<TrainTest> Mnist = new(() => ImageFolder.Load(SharedData.Mnist, "mnist"));

    /// <summary>The first <paramref name="train"/> training and <paramref name="test"/> test samples of MNIST.</summary>
    public static TrainTest MnistSubset(int train, int test)
    {
        var data = Mnist.Value;
        return new TrainTest(
            data.Train.Subset(Enumerable.Range(0, train).ToArray()),
            data.Test.Subset(Enumerable.Range(0, test).ToArray()));
    }

    public static ExperimentConfig Config(params string[] assignments)
    {
        var config = new ExperimentConfig();
        config.Set("dataset.name", "mnist");
        foreach (string a in assignments)
        {
            config.Set(a);
        }
        return config;
    }

    /// <summary>The folder holding Cohort.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cohort.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Cohort.sln) above the test binaries.");
    }

    public static FederatedData Partitioned(TrainTest data, ExperimentConfig config) =>
        new(data, FederatedData.Split(data, config));
}
