using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Stages;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Tests.Stages;

/// <summary>The stages' hooks as the round loop calls them: per received update, on the aggregate, and their metrics.</summary>
public class UpdateStageTests
{
    private static readonly float[][] Updates = [[3, 4], [0.6f, 0.8f], [0, 0]];
    private static readonly int[] Samples = [1, 3, 4];

    private static (ServerState Server, RoundOutcome Outcome) OneRound(UpdatePipeline pipeline, IAggregator aggregator, params int[] cohort)
    {
        var server = new ServerState([10, 20], [], new Sgd(1f));
        var round = new FederatedRound(new FixedCohort(Updates, Samples), new FedAvg(), aggregator, pipeline, server, 5, k => Samples[k], Samples.Sum());
        return (server, round.Run(1, cohort, measureDrift: false));
    }

    [Fact]
    public void ClippingKeepsTheWeightedMeanWeighted()
    {
        var meter = new ClippingMeter();
        var (server, _) = OneRound(new UpdatePipeline([new NormClippingStage(2, meter)]), new WeightedMean(), 0, 1);
        // ‖(3, 4)‖ = 5 > 2: clipped to (1.2, 1.6); ‖(0.6, 0.8)‖ = 1 stays. Weights 1 and 3:
        // ((1.2·1 + 0.6·3) / 4, (1.6·1 + 0.8·3) / 4) = (0.75, 1), added to the model (10, 20).
        Assert.Equal(10.75f, server.Global[0], 1e-5);
        Assert.Equal(21f, server.Global[1], 1e-5);
        Assert.Equal(0.5, meter.Fraction);
        var metrics = new RoundMetrics();
        new UpdatePipeline([new NormClippingStage(2, meter)]).Report(metrics);
        Assert.Equal(0.5, metrics.Extra[ClippingMeter.Metric]);
    }

    [Fact]
    public void ClippingWithTheMeanIsTheStreamingWeightedMean()
    {
        var config = TestExperiments.Config("aggregator.clip=1");
        Assert.IsType<WeightedMean>(AggregatorFactory.Create(config, 10, 5));
    }

    [Fact]
    public void ThePerUpdateHookSeesEachUpdateWithItsClientAndWeightAndMayRefuseIt()
    {
        var probe = new Probe(refuse: 2);
        var (server, outcome) = OneRound(new UpdatePipeline([probe]), new WeightedMean(), 0, 1, 2);
        Assert.Equal([(0, 1.0), (1, 3.0), (2, 4.0)], probe.Seen.OrderBy(s => s.Client));
        Assert.Equal(1, outcome.Rejected);
        // Client 2's zero update is refused, so the mean is over 0 and 1 alone: ((3 + 1.8) / 4, (4 + 2.4) / 4).
        Assert.Equal(11.2f, server.Global[0], 1e-5);
        Assert.Equal(21.6f, server.Global[1], 1e-5);
        // The aggregate hook sees the cohort, its weights and its share of the total weight.
        Assert.Equal([0, 1, 2], probe.Cohort);
        Assert.Equal([1.0, 3.0, 4.0], probe.Weights);
        Assert.Equal(1.0, probe.Participation);
    }

    [Fact]
    public void ANonFiniteUpdateIsRefusedBeforeTheExperimentsStagesSeeIt()
    {
        var meter = new ClippingMeter();
        var server = new ServerState([10, 20], [], new Sgd(1f));
        float[][] updates = [[3, 4], [float.NaN, 1], [0.6f, 0.8f]];
        var round = new FederatedRound(new FixedCohort(updates, [1, 2, 3]), new FedAvg(), new WeightedMean(), new UpdatePipeline([new NormClippingStage(2, meter)]), server, 5, k => k + 1, 6);
        var outcome = round.Run(1, [0, 1, 2], measureDrift: false);
        Assert.Equal(1, outcome.Rejected);
        // Clipping saw the two finite updates and shortened one; the mean is theirs: ((1.2·1 + 0.6·3) / 4, (1.6·1 + 0.8·3) / 4).
        Assert.Equal(0.5, meter.Fraction);
        Assert.Equal(10.75f, server.Global[0], 1e-5);
        Assert.Equal(21f, server.Global[1], 1e-5);
    }

    [Fact]
    public void ServerHooksRunInReverseOrderAndClientHooksInOrder()
    {
        var calls = new List<string>();
        var pipeline = new UpdatePipeline([new Recorder("a", calls), new Recorder("b", calls)]);
        var update = new float[2];
        Assert.Equal(8, pipeline.OnClient(new StageContext(1, 0, 0), update));
        Assert.True(pipeline.OnReceived(new StageContext(1, 0, 0), update));
        pipeline.OnServer(new StageContext(1, -1, 0), update);
        Assert.Equal(["a.client", "b.client", "b.received", "a.received", "b.server", "a.server"], calls);
    }

    [Fact]
    public void AHeldUpdateIsHandedOnAtTheExchangesEndThroughEveryPerUpdateHook()
    {
        var meter = new ClippingMeter();
        var holder = new Holder(client: 0, scale: 0.2f);
        var (server, outcome) = OneRound(new UpdatePipeline([new NormClippingStage(2, meter), holder]), new WeightedMean(), 0, 1);
        // Client 0's (3, 4) is held while client 1's (0.6, 0.8) goes through, then handed on as (0.6, 0.8):
        // clipping saw both and shortened neither, and the weighted mean is (0.6, 0.8) on the model (10, 20).
        Assert.Equal([1], holder.SeenBeforeRelease);
        Assert.Equal(1, outcome.Byzantine);
        Assert.Equal(0, outcome.Rejected);
        Assert.Equal(0.0, meter.Fraction);
        Assert.Equal(10.6f, server.Global[0], 1e-5);
        Assert.Equal(20.8f, server.Global[1], 1e-5);
    }

    /// <summary>Holds one client's update and hands it on scaled once the exchange's others are in.</summary>
    private sealed class Holder(int client, float scale) : IUpdateStage
    {
        private float[]? _held;
        private double _weight;

        public List<int> SeenBeforeRelease { get; } = [];

        public string Name => "holder";

        public bool Holds(StageContext context, ReadOnlySpan<float> update)
        {
            if (context.Client != client)
            {
                return false;
            }
            _held = update.ToArray();
            _weight = context.Weight;
            return true;
        }

        public bool OnReceived(StageContext context, Span<float> update)
        {
            lock (SeenBeforeRelease)
            {
                if (_held is not null)
                {
                    SeenBeforeRelease.Add(context.Client);
                }
            }
            return true;
        }

        public int OnExchangeEnd(StageContext context, HeldUpdateSink release)
        {
            var held = _held!.Select(v => v * scale).ToArray();
            _held = null;
            release(client, held, _weight);
            return 1;
        }
    }

    private sealed class Probe(int refuse) : IUpdateStage
    {
        public List<(int Client, double Weight)> Seen { get; } = [];

        public IReadOnlyList<int> Cohort { get; private set; } = [];

        public IReadOnlyList<double> Weights { get; private set; } = [];

        public double Participation { get; private set; }

        public string Name => "probe";

        public bool OnReceived(StageContext context, Span<float> update)
        {
            lock (Seen)
            {
                Seen.Add((context.Client, context.Weight));
            }
            return context.Client != refuse;
        }

        public void OnServer(StageContext context, Span<float> aggregate)
        {
            Cohort = context.Cohort;
            Weights = context.Weights;
            Participation = context.Participation;
        }
    }

    private sealed class Recorder(string name, List<string> calls) : IUpdateStage
    {
        public string Name => name;

        public long OnClient(StageContext context, Span<float> update)
        {
            calls.Add(name + ".client");
            return IUpdateStage.KeepsEncoding;
        }

        public bool OnReceived(StageContext context, Span<float> update)
        {
            calls.Add(name + ".received");
            return true;
        }

        public void OnServer(StageContext context, Span<float> aggregate) => calls.Add(name + ".server");
    }
}
