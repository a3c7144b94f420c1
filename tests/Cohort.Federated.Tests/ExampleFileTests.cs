using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;

namespace Cohort.Federated.Tests;

public class ExampleFileTests
{
    [Fact]
    public void EveryExampleFileIsAValidExperiment()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cohort.sln")))
        {
            dir = dir.Parent;
        }
        var files = Directory.GetFiles(Path.Combine(dir!.FullName, "examples"), "*.yaml", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("mime.yaml", StringComparison.Ordinal));
        foreach (string file in files)
        {
            var config = ExperimentConfig.FromFile(file);
            Experiment.From(config);
            Assert.Equal(config.Get("algorithm.name"), AlgorithmFactory.Create(config).Name);
        }
    }
}
