using Cohort.Federated.Config;

namespace Cohort.Federated.Tests;

public class ConfigTests
{
    [Fact]
    public void NestedYamlFlattensToDottedKeysWithDefaults()
    {
        var config = ExperimentConfig.FromYaml("dataset:\n  name: mnist\npartition:\n  kind: dirichlet\n  alpha: 0.3\nclient:\n  lr: 0.02\nrounds: 7\n", "exp.yaml");
        var e = Experiment.From(config);
        Assert.Equal(7, e.Rounds);
        Assert.Equal(0.02f, e.Client.LearningRate);
        Assert.Equal(1, e.Client.Epochs);
        Assert.Equal("cnn", e.Model);
        Assert.Equal(10, e.CohortSize);
        Assert.Equal("0.3", config.Get("partition.alpha"));
        Assert.Contains("  kind: dirichlet", config.ToYaml());
        // The resolved YAML reads back to the same settings.
        var again = ExperimentConfig.FromYaml(config.ToYaml(), "resolved");
        Assert.Equal(config.ToYaml(), again.ToYaml());
    }

    [Theory]
    [InlineData("rounds: 0", "rounds: '0' is not an integer of at least 1")]
    [InlineData("roundz: 5", "unknown key 'roundz'. Did you mean 'rounds'?")]
    [InlineData("model: vgg", "model: 'vgg' is not allowed; choose one of: charlstm, cnn, cnn-bn, lenet5, logreg, mlp, resnet20")]
    [InlineData("client:\n  lr: fast", "client.lr: 'fast' is not a number")]
    [InlineData("partition:\n  kind: [iid]", "partition.kind must be a single value")]
    [InlineData("rounds: [", "not valid YAML")]
    public void BadValuesNameTheKeyAndWhatIsAllowed(string yaml, string message)
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfig.FromYaml("dataset:\n  name: mnist\n" + yaml, "exp.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Contains("exp.yaml", e.Message);
    }

    [Fact]
    public void ConflictsAndMissingKeysAreReported()
    {
        Assert.Contains("dataset.name is required", Assert.Throws<ConfigException>(() => Experiment.From(new ExperimentConfig())).Message);
        var config = TestExperiments.Config("client.epochs=2", "client.steps=5");
        Assert.Contains("choose one", Assert.Throws<ConfigException>(() => Experiment.From(config)).Message);
        config = TestExperiments.Config("partition.alpha=0.5");
        Assert.Contains("partition.alpha applies to partition.kind dirichlet", Assert.Throws<ConfigException>(() => Experiment.From(config)).Message);
        Assert.Contains("expected key=value", Assert.Throws<ConfigException>(() => config.Set("rounds")).Message);
        config = TestExperiments.Config("clients_per_round=500");
        Assert.Contains("partition.clients is 100", Assert.Throws<ConfigException>(() => Experiment.From(config)).Message);
    }
}
