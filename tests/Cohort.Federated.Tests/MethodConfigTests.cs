using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;

namespace Cohort.Federated.Tests;

public class MethodConfigTests
{
    [Theory]
    [InlineData("fedavg", typeof(FedAvg))]
    [InlineData("fedprox", typeof(FedProx))]
    [InlineData("scaffold", typeof(Scaffold))]
    [InlineData("fedavgm", typeof(FedAvgM))]
    [InlineData("fedadagrad", typeof(FedOpt))]
    [InlineData("fedadam", typeof(FedOpt))]
    [InlineData("fedyogi", typeof(FedOpt))]
    [InlineData("mimelite", typeof(MimeLite))]
    [InlineData("mime", typeof(Mime))]
    [InlineData("fednova", typeof(FedNova))]
    [InlineData("feddyn", typeof(FedDyn))]
    [InlineData("qffl", typeof(QFfl))]
    public void EveryMethodIsSelectedByNameWithDefaults(string name, Type type)
    {
        var algorithm = AlgorithmFactory.Create(TestExperiments.Config($"algorithm.name={name}"));
        Assert.IsType(type, algorithm);
        Assert.Equal(name, algorithm.Name);
    }

    [Fact]
    public void ParametersDefaultPerMethodAndReadBackWhenSet()
    {
        Assert.Equal("0.003162", TestExperiments.Config("algorithm.name=fedadam").Get("algorithm.server_lr"));
        Assert.Equal("0.03162", TestExperiments.Config("algorithm.name=fedadagrad").Get("algorithm.server_lr"));
        Assert.Equal("1", TestExperiments.Config("algorithm.name=scaffold").Get("algorithm.server_lr"));
        Assert.Equal("0", TestExperiments.Config("algorithm.name=fedadagrad").Get("algorithm.beta1"));
        Assert.Equal("0.9", TestExperiments.Config("algorithm.name=fedyogi").Get("algorithm.beta1"));
        // FedAvgM's server rate defaults to 1 − β, and follows β when it is set.
        Assert.Equal("0.1", TestExperiments.Config("algorithm.name=fedavgm").Get("algorithm.server_lr"));
        Assert.Equal("0.25", TestExperiments.Config("algorithm.name=fedavgm", "algorithm.server_momentum=0.75").Get("algorithm.server_lr"));
        Assert.Equal("2", TestExperiments.Config("algorithm.name=fedavgm", "algorithm.server_lr=2").Get("algorithm.server_lr"));
        Assert.Equal(0.3f, ((FedProx)AlgorithmFactory.Create(TestExperiments.Config("algorithm.name=fedprox", "algorithm.mu=0.3"))).Mu);
        // Unset method keys stay out of the resolved config.
        Assert.DoesNotContain("mu:", TestExperiments.Config("algorithm.name=fedprox").ToYaml());
    }

    [Theory]
    [InlineData("algorithm.mu=0.1", "algorithm.mu applies to algorithm.name fedprox; the selected one is fedavg")]
    [InlineData("algorithm.name=fedprox|algorithm.mu=-1", "algorithm.mu: '-1' is not a number of at least 0")]
    [InlineData("algorithm.name=scaffold|algorithm.option=III", "algorithm.option: 'III' is not allowed; choose one of: I, II")]
    [InlineData("algorithm.name=fedadam|algorithm.beta2=1.5", "algorithm.beta2: '1.5' is not a number in [0, 1]")]
    [InlineData("algorithm.name=fedyogi|algorithm.server_momentum=0.9", "algorithm.server_momentum applies to algorithm.name fedavgm; the selected one is fedyogi")]
    [InlineData("algorithm.name=mime|client.momentum=0.9", "it needs client.optimizer sgd with client.momentum 0")]
    [InlineData("algorithm.name=fednova|client.optimizer=adam", "client.optimizer must be sgd")]
    [InlineData("algorithm.name=feddyn|algorithm.alpha=0", "algorithm.alpha: '0' is not a number of at least")]
    [InlineData("algorithm.name=sgd", "algorithm.name: 'sgd' is not allowed")]
    [InlineData("algorithm.name=mime|algorithm.beta=2", "algorithm.beta: '2' is not a number in [0, 1]")]
    [InlineData("algorithm.name=pcl|algorithm.beta=1.5", "algorithm.beta: '1.5' is not a number in [0, 1]")]
    [InlineData("algorithm.name=scaffold|client.momentum=0.9", "set client.optimizer sgd and client.momentum 0")]
    [InlineData("algorithm.name=scaffold|algorithm.option=II|client.optimizer=adam", "set client.optimizer sgd and client.momentum 0")]
    public void BadMethodSettingsNameTheKey(string settings, string message)
    {
        var e = Assert.Throws<ConfigException>(() => AlgorithmFactory.Create(TestExperiments.Config(settings.Split('|'))));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void PFedMesServerStepTakesTheBetaOfThePaper()
    {
        // Dinh et al. run β = 2 (x ← (1 − β)x + β·mean w): a key Mime also declares, in [0, 1] for Mime only.
        var config = TestExperiments.Config("algorithm.name=pfedme", "algorithm.beta=2");
        Assert.IsType<PFedMe>(AlgorithmFactory.Create(config));
        Assert.Equal("2", config.Get("algorithm.beta"));
    }

    [Fact]
    public void ScaffoldOptionOneTakesAnyClientOptimizer()
    {
        // Option I measures cᵢ⁺ = ∇fᵢ(x) directly, so it does not depend on how the client stepped.
        var method = AlgorithmFactory.Create(TestExperiments.Config("algorithm.name=scaffold", "algorithm.option=I", "client.momentum=0.9"));
        Assert.IsType<Scaffold>(method);
    }

    [Fact]
    public void DrawnLocalWorkIsSeededPerClientAndRound()
    {
        var work = Experiment.From(TestExperiments.Config("client.tau.distribution=uniform", "client.tau.min=2", "client.tau.max=9")).Client;
        var draws = Enumerable.Range(0, 200).Select(k => work.StepsFor(600, 5, 1, k)).ToArray();
        Assert.All(draws, t => Assert.InRange(t, 2, 9));
        Assert.Equal(8, draws.Distinct().Count());
        Assert.Equal(draws, Enumerable.Range(0, 200).Select(k => work.StepsFor(600, 5, 1, k)));
        Assert.NotEqual(draws, Enumerable.Range(0, 200).Select(k => work.StepsFor(600, 5, 2, k)));

        // Epochs: τᵢ passes over the client's 600 samples in batches of 10.
        var epochs = Experiment.From(TestExperiments.Config("client.tau.distribution=lognormal", "client.tau.unit=epochs", "client.tau.median=3")).Client;
        var steps = Enumerable.Range(0, 200).Select(k => epochs.StepsFor(600, 5, 1, k)).ToArray();
        Assert.All(steps, t => Assert.Equal(0, t % 60));
        Assert.InRange(steps.Order().ElementAt(100) / 60, 2, 4);
        Assert.Equal(120, Experiment.From(TestExperiments.Config("client.epochs=2")).Client.StepsFor(600, 5, 1, 3));
    }

    [Theory]
    [InlineData("client.tau.distribution=uniform|client.steps=5", "client.tau.distribution uniform draws each client's local work")]
    [InlineData("client.tau.median=4", "client.tau.median applies to client.tau.distribution lognormal; the selected one is fixed")]
    [InlineData("client.tau.distribution=uniform|client.tau.min=5|client.tau.max=3", "client.tau.max (3) is below client.tau.min (5)")]
    [InlineData("client.tau.unit=epochs", "client.tau.unit applies to a drawn client.tau.distribution")]
    public void BadLocalWorkSettingsNameTheKey(string settings, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Experiment.From(TestExperiments.Config(settings.Split('|'))));
        Assert.Contains(message, e.Message);
    }
}
