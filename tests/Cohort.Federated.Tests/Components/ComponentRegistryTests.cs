using Cohort.Federated.Components;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Tests.Components;

public class ComponentRegistryTests
{
    [Fact]
    public void ChoiceListsAreTheDeclaredNames()
    {
        Assert.Equal(ComponentRegistry.Names(ComponentKind.Algorithm), ExperimentKeys.Get("algorithm.name").Choices);
        Assert.Equal(ComponentRegistry.Names(ComponentKind.Compressor), ExperimentKeys.Get("compression.downlink.name").Choices);
        Assert.Contains("fedprox", ExperimentKeys.Get("algorithm.name").Choices!);
        Assert.Contains("dirichlet", ExperimentKeys.Get("partition.kind").Choices!);
        Assert.Contains("resnet20", ExperimentKeys.Get("model").Choices!);
        Assert.Contains("scaled-update", ExperimentKeys.Get("attack.name").Choices!);
    }

    [Theory]
    [InlineData("compression.uplink.name=qsgd|compression.uplink.k=0.1", "compression.uplink.k applies to compression.uplink.name randk, topk; the selected one is qsgd.")]
    [InlineData("compression.downlink.bucket=64", "compression.downlink.bucket applies to compression.downlink.name int8, qsgd, stochastic-rounding; the selected one is none.")]
    [InlineData("aggregator.name=krum|aggregator.rho=0.1", "aggregator.rho applies to aggregator.name zeno; the selected one is krum.")]
    [InlineData("attack.sigma=2", "attack.sigma applies to attack.name gaussian; the selected one is none.")]
    [InlineData("dataset.stride=3", "dataset.stride applies to dataset.name text; the selected one is mnist.")]
    public void KeyOfAComponentNotSelectedNamesTheSelectedOne(string settings, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Experiment.From(TestExperiments.Config(settings.Split('|'))));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void SharedKeyDefaultsPerSelectedComponent()
    {
        Assert.Equal("16", TestExperiments.Config("compression.uplink.name=qsgd").Get("compression.uplink.s"));
        Assert.Equal("512", TestExperiments.Config("compression.uplink.name=int8").Get("compression.uplink.bucket"));
        Assert.Equal("3", TestExperiments.Config("aggregator.name=geometric-median").Get("aggregator.iterations"));
        Assert.Null(TestExperiments.Config("compression.uplink.name=qsgd").GetOptional("compression.uplink.k"));
    }

    [Fact]
    public void KeyReferenceWritesAComponentsKeysWithTheirDefaults()
    {
        var text = new StringWriter();
        KeyReference.Write(text, "fedprox");
        string written = text.ToString();
        Assert.Contains("algorithm fedprox:", written);
        Assert.Matches(@"algorithm\.mu\s+number ≥ 0; default 0\.01\. proximal weight μ \(with algorithm\.name fedprox\)", written);
        Assert.DoesNotContain("general keys", written);

        var both = new StringWriter();
        KeyReference.Write(both, "none");
        Assert.Contains("compressor none:", both.ToString());
        Assert.Contains("attack none:", both.ToString());

        var e = Assert.Throws<ConfigException>(() => KeyReference.Write(new StringWriter(), "fedprocs"));
        Assert.Contains("no component is named 'fedprocs'", e.Message);
        Assert.Contains("fedprox", e.Message);
    }

    [Fact]
    public void ComponentDeclaredInThisAssemblyRunsFromAnExperimentFile()
    {
        var data = TestExperiments.MnistSubset(400, 100);
        string file = Path.Combine(Path.GetTempPath(), $"cohort-scaled-update-{Environment.ProcessId}.yaml");
        float[] Run(string attack)
        {
            File.WriteAllText(file, $"dataset:\n  name: mnist\nmodel: logreg\npartition:\n  clients: 4\nclients_per_round: 4\nrounds: 1\nclient:\n  steps: 3\n  lr: 0.1\neval:\n  clients: false\ndiagnostics:\n  enabled: false\n{attack}");
            var config = ExperimentConfig.FromFile(file);
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
            var initial = simulation.Server.Global.ToArray();
            simulation.Run();
            return [.. simulation.Server.Global.ToArray().Select((w, i) => w - initial[i])];
        }
        try
        {
            var honest = Run("");
            // Every client Byzantine, each sending half its honest update: the mean of halves is half the mean.
            var halved = Run("attack:\n  name: scaled-update\n  byzantine: 4\n  factor: 0.5\n");
            var silent = Run("attack:\n  name: scaled-update\n  byzantine: 4\n  factor: 0\n");
            Assert.Contains(honest, d => d != 0);
            for (int i = 0; i < honest.Length; i++)
            {
                Assert.Equal(honest[i] / 2, halved[i], 1e-6f);
            }
            Assert.All(silent, d => Assert.Equal(0f, d));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
