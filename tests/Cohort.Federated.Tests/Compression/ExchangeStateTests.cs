using Cohort.Federated.Compression;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.State;

namespace Cohort.Federated.Tests.Compression;

/// <summary>Client-stage state is per client and per exchange: Mime's gradient exchange and training exchange share nothing.</summary>
public class ExchangeStateTests
{
    [Fact]
    public void EachExchangeCarriesItsOwnResidual()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new CompressionStage(new TopK(new SparseCount(1.0 / 3)), ErrorFeedback.Ef, states);
        // Exchange 0: top-1 of (5, 1, −2) sends (5, 0, 0) and keeps e₀ = (0, 1, −2).
        float[] gradient = [5, 1, -2];
        stage.OnClient(new StageContext(1, 0, 3, Exchange: 0), gradient);
        Assert.Equal([5f, 0f, 0f], gradient);
        // Exchange 1 starts from no residual: top-1 of (0.5, 0.25, 0) sends (0.5, 0, 0), keeps e₁ = (0, 0.25, 0).
        // (With e₀ added it would send (0, 0, −2).)
        float[] delta = [0.5f, 0.25f, 0];
        stage.OnClient(new StageContext(1, 0, 3, Exchange: 1), delta);
        Assert.Equal([0.5f, 0f, 0f], delta);
        var kept = new float[3];
        Assert.True(states.TryRead(0, stage.StateName, kept));
        Assert.Equal([0f, 1f, -2f], kept);
        Assert.True(states.TryRead(0, stage.StateName.In(1), kept));
        Assert.Equal([0f, 0.25f, 0f], kept);
    }

    [Fact]
    public void ADeclaredVectorHasACopyPerExchangeAndAnUndeclaredOneIsAnError()
    {
        var declared = new ClientStateDeclaration("owner").Vector("v");
        Assert.Equal(new ClientVector("owner", "v"), declared["v"]);
        Assert.Equal("v", declared["v"].In(0).Name);
        Assert.Equal("v.e2", declared["v"].In(2).Name);
        var e = Assert.Throws<KeyNotFoundException>(() => declared["w"]);
        Assert.Equal("The client state of owner declares no vector 'w'.", e.Message);
        // What a saved store holds is filed by the names the components declare.
        Assert.Equal(["ef.residual", "ef21.estimate"], CompressionStage.ClientState.Vectors);
    }

    [Fact]
    public void EachExchangeDrawsFromItsOwnStream()
    {
        using var states = new SpillingStateStore(1 << 20);
        var stage = new CompressionStage(new RandK(new SparseCount(0.001)), ErrorFeedback.None, states);
        var values = Enumerable.Range(1, 1000).Select(i => (float)i).ToArray();
        float[] first = (float[])values.Clone(), second = (float[])values.Clone();
        stage.OnClient(new StageContext(1, 0, 3, Exchange: 0), first);
        stage.OnClient(new StageContext(1, 0, 3, Exchange: 1), second);
        Assert.NotEqual(Array.FindIndex(first, v => v != 0), Array.FindIndex(second, v => v != 0));
    }

    private static FederatedRun Run(params string[] settings)
    {
        var data = TestExperiments.MnistSubset(800, 200);
        var config = TestExperiments.Config(["model=logreg", "algorithm.name=mime", "partition.clients=4", "clients_per_round=4", "client.steps=3", "client.lr=0.1", "seed=4", "threads=2", "eval.clients=false", .. settings]);
        var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config));
        simulation.Run();
        return simulation;
    }

    [Fact]
    public void MimeWithLosslessEfEqualsMimeUncompressed()
    {
        // Top-k with k = 1 (all values) is the identity: EF's residual stays 0 in both exchanges.
        using var plain = Run("rounds=2");
        using var ef = Run("rounds=2", "compression.uplink.name=topk", "compression.uplink.k=1", "compression.uplink.error_feedback=ef");
        Assert.Equal(plain.Server.Global, ef.Server.Global);
    }

    [Fact]
    public void MimeWithLosslessEf21EqualsMimeUncompressedInItsFirstRound()
    {
        // Every client's first estimate is 0 in each exchange, so c = u and g = mean u exactly; an estimate
        // shared with the gradient exchange would send u − ∇fᵢ(x) and round g to something else.
        using var plain = Run("rounds=1");
        using var ef21 = Run("rounds=1", "compression.uplink.name=topk", "compression.uplink.k=1", "compression.uplink.error_feedback=ef21");
        Assert.Equal(plain.Server.Global, ef21.Server.Global);
    }

    [Fact]
    public void MimeWorkerMomentumStartsFromEachExchangesFirstUpdate()
    {
        // A client's first momentum is its first update, in each exchange: round 1 is Mime's own.
        using var plain = Run("rounds=1");
        using var momentum = Run("rounds=1", "robust.worker_momentum=0.9");
        Assert.Equal(plain.Server.Global, momentum.Server.Global);
        Assert.True(momentum.States.TryRead(0, WorkerMomentum.ClientState["worker-momentum"].In(1), new float[plain.Server.Global.Length]));
    }
}
