using Cohort.Federated.Config;
using Cohort.Federated.Metrics;
using Cohort.Federated.Personal;
using Cohort.Federated.State;
using Cohort.NN.Zoo;

namespace Cohort.Federated.Tests.Personal;

/// <summary>The kept part of a model: chosen by name patterns, composed with the global model, stored and withheld; and the spread of personal accuracies.</summary>
public class PersonalParametersTests
{
    [Theory]
    [InlineData("fc3.*", "fc3.weight", true)]
    [InlineData("fc3.*", "fc2.weight", false)]
    [InlineData("*", "fc1.bias", true)]
    [InlineData("fc*.bias", "fc2.bias", true)]
    [InlineData("fc*.bias", "fc2.weight", false)]
    [InlineData("fc2.bias", "fc2.bias", true)]
    [InlineData("fc2.bias", "fc2.bias2", false)]
    [InlineData("a*a", "a", false)]
    public void PatternsMatchNamesWithStarForAnyCharacters(string pattern, string name, bool expected) =>
        Assert.Equal(expected, PersonalParameters.Matches(pattern, name));

    [Fact]
    public void TheKeptRangesAreTheNamedParametersOffsetsInTheFlatVector()
    {
        // mlp on 1×2×2 inputs, 3 classes: fc1 (200×4 + 200), fc2 (200×200 + 200), fc3 (3×200 + 3).
        var model = ModelZoo.Create("mlp", 1, new ModelOptions { Channels = 1, Height = 2, Width = 2, Classes = 3 });
        var head = PersonalParameters.Of(["fc3.*"], model, "algorithm.personal");
        int fc3 = 200 * 4 + 200 + 200 * 200 + 200;
        Assert.Equal([(fc3, 600), (fc3 + 600, 3)], head.Ranges);
        Assert.Equal(603, head.Length);
        var biases = PersonalParameters.Of(PersonalParameters.Patterns("fc1.bias, fc3.bias"), model, "algorithm.personal");
        Assert.Equal([(800, 200), (fc3 + 600, 3)], biases.Ranges);
        var e = Assert.Throws<ConfigException>(() => PersonalParameters.Of(["head.*"], model, "algorithm.personal"));
        Assert.Contains("algorithm.personal", e.Message);
        Assert.Contains("head.*", e.Message);
        Assert.Contains("fc3.weight", e.Message);
    }

    [Fact]
    public void FedPerKeepsTheLastLayerWhenAlgorithmPersonalIsUnset()
    {
        // The FedPer paper's personalization layers are the top ones: by default the MLP's fc3 (3×200 + 3).
        var config = TestExperiments.Config("algorithm.name=fedper");
        var fedper = Algorithms.AlgorithmFactory.Create(config);
        var model = ModelZoo.Create("mlp", 1, new ModelOptions { Channels = 1, Height = 2, Width = 2, Classes = 3 });
        var kept = PersonalParameters.For(fedper, model);
        int fc3 = 200 * 4 + 200 + 200 * 200 + 200;
        Assert.NotNull(kept);
        Assert.Equal([(fc3, 600), (fc3 + 600, 3)], kept.Ranges);
    }

    [Fact]
    public void AClientStartsFromTheGlobalModelThenFromItsStoredPartAndItsUpdateCarriesNoneOfIt()
    {
        var kept = new PersonalParameters([(1, 2), (5, 1)]);
        using var states = new SpillingStateStore(1 << 20, null);
        float[] global = [10, 11, 12, 13, 14, 15, 16];
        var start = new float[7];
        kept.Compose(states, 3, global, start);
        Assert.Equal(global, start);
        kept.Keep(states, 3, new float[] { 0, 1, 2, 3, 4, 5, 6 });
        kept.Compose(states, 3, global, start);
        Assert.Equal([10, 1, 2, 13, 14, 5, 16], start);
        kept.Compose(states, 4, global, start);
        Assert.Equal(global, start);
        float[] update = [1, 1, 1, 1, 1, 1, 1];
        kept.Withhold(update);
        Assert.Equal([1, 0, 0, 1, 1, 0, 1], update);
    }

    [Fact]
    public void KeptBuffersAreComposedStoredAfterTheParametersAndReportedAsTheBroadcastsValues()
    {
        var kept = new PersonalParameters([(0, 1)], [(1, 2)], bufferCount: 4);
        using var states = new SpillingStateStore(1 << 20, null);
        float[] broadcast = [20, 21, 22, 23];
        var buffers = new float[4];
        kept.ComposeBuffers(states, 0, broadcast, buffers);
        Assert.Equal(broadcast, buffers);
        kept.Keep(states, 0, new float[] { 7, 8 }, new float[] { 30, 31, 32, 33 });
        var stored = new float[3];
        Assert.True(states.TryRead(0, PersonalParameters.ClientState[PersonalParameters.StateName], stored));
        Assert.Equal([7, 31, 32], stored);
        kept.ComposeBuffers(states, 0, broadcast, buffers);
        Assert.Equal([20, 31, 32, 23], buffers);
        var parameters = new float[2];
        kept.Compose(states, 0, new float[] { 1, 2 }, parameters);
        Assert.Equal([7, 2], parameters);
        // The server's mean of the kept statistics stays its own; a client that keeps every buffer reports none.
        Assert.Equal([30, 21, 22, 33], kept.ReportedBuffers([30, 31, 32, 33], broadcast, new float[4]).ToArray());
        Assert.True(new PersonalParameters([], [(0, 4)], bufferCount: 4).ReportedBuffers([30, 31, 32, 33], broadcast, new float[4]).IsEmpty);
    }

    [Fact]
    public void PersonalAccuracyReportsMeanTenthPercentileAndWorstOverClientsWithATestSplit()
    {
        var metrics = new RoundMetrics();
        PersonalEvaluation.Spread(metrics, "personal_accuracy", [1.0, 0.4, double.NaN, 0.8, 0.2, 0.6]);
        // Sorted: 0.2 0.4 0.6 0.8 1.0 (NaN: a client without a test split). p10 at rank 0.1·(5 − 1) = 0.4,
        // interpolated between the 1st and 2nd order statistics: 0.2 + 0.4·(0.4 − 0.2) = 0.28.
        Assert.Equal(0.6, metrics.Extra["personal_accuracy_mean"], 12);
        Assert.Equal(0.28, metrics.Extra["personal_accuracy_p10"], 12);
        Assert.Equal(0.2, metrics.Extra["personal_accuracy_worst"], 12);
    }
}
