using System.Collections.Concurrent;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Personal;
using static Cohort.Federated.Tests.Personal.LogisticByHand;

namespace Cohort.Federated.Tests.Personal;

/// <summary>Clients held out of training: never sampled, personalized after the last round by the method's procedure, reported apart.</summary>
public class NewClientsTests
{
    private static ExperimentConfig Config(params string[] settings) => TestExperiments.Config(
        ["model=logreg", "partition.clients=6", "partition.holdout_clients=2", "clients_per_round=6", "rounds=3", "client.steps=2", "diagnostics.enabled=false", .. settings]);

    [Fact]
    public void HeldOutClientsNeverTrainAndPersonalizeOnceFromTheFinalModel()
    {
        var config = Config("algorithm.name=fedper", "algorithm.personal=fc.bias");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(300, 120), config);
        var recording = new Recording(new FedPer(["fc.bias"]));
        using var run = new FederatedRun(Experiment.From(config), data, algorithm: recording);
        run.Run();
        // Every round's cohort is the four training clients (clients_per_round covers them all); clients 4
        // and 5 run the method's client half only once, as round 4, after the last round.
        for (int round = 1; round <= 3; round++)
        {
            Assert.Equal([0, 1, 2, 3], recording.Clients(round));
        }
        Assert.Equal([4, 5], recording.Clients(4));
        var metrics = run.History[^1].Extra;
        Assert.InRange(metrics["new_client_accuracy_mean"], metrics["new_client_accuracy_worst"], 1);
        Assert.DoesNotContain("new_client_accuracy_mean", run.History[0].Extra.Keys);
        var kept = new float[Classes];
        Assert.True(run.States.TryRead(5, PersonalParameters.ClientState[PersonalParameters.StateName], kept));
    }

    [Fact]
    public void WithoutAPersonalModelANewClientIsScoredWithTheFinalGlobalModel()
    {
        var config = Config("algorithm.name=fedavg");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(300, 120), config);
        using var run = new FederatedRun(Experiment.From(config), data);
        run.Run();
        var model = run.Server.Global.ToArray();
        int weights = Classes * data.Train.SampleSize;
        double[] accuracy = [Accuracy(data, 4, model[..weights], model[weights..]), Accuracy(data, 5, model[..weights], model[weights..])];
        Assert.All(accuracy, a => Assert.InRange(a, 0, 1));
        var metrics = run.History[^1].Extra;
        Assert.Equal(accuracy.Average(), metrics["new_client_accuracy_mean"], 1e-12);
        Assert.Equal(accuracy.Min(), metrics["new_client_accuracy_worst"], 1e-12);
    }

    [Fact]
    public void HoldingOutEveryClientIsAnErrorNamingTheKey()
    {
        var config = Config("partition.holdout_clients=6");
        var data = TestExperiments.Partitioned(TestExperiments.MnistSubset(60, 30), config);
        var e = Assert.Throws<ConfigException>(() => new FederatedRun(Experiment.From(config), data).Dispose());
        Assert.Contains("partition.holdout_clients", e.Message);
    }

    /// <summary>A method that records which clients ran its client half in which round.</summary>
    private sealed class Recording(IFederatedAlgorithm inner) : IFederatedAlgorithm
    {
        private readonly ConcurrentBag<(int Round, int Client)> _runs = [];

        public string Name => inner.Name;

        public IReadOnlyList<string> PersonalPatterns => inner.PersonalPatterns;

        public int[] Clients(int round) => [.. _runs.Where(r => r.Round == round).Select(r => r.Client).Order()];

        public void InitializeServer(ServerState server) => inner.InitializeServer(server);

        public ClientResult RunClient(ClientContext context)
        {
            _runs.Add((context.Round, context.Client));
            return inner.RunClient(context);
        }

        public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => inner.ApplyAggregate(server, aggregate);
    }
}
