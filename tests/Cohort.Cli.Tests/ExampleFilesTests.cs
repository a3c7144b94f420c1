using Cohort.Cli.Commands;
using Cohort.Federated.Config;

namespace Cohort.Cli.Tests;

public class ExampleFilesTests
{
    public static TheoryData<string> Examples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples")))
        {
            dir = dir.Parent;
        }
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(dir!.FullName, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExampleIsAValidExperiment(string file)
    {
        var config = RunCommand.Load(file, []);
        var experiment = Experiment.From(config);
        Assert.True(experiment.Rounds >= 1);
    }
}
