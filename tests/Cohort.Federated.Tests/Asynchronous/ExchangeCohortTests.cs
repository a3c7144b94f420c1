using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Federated.Stages;
using Cohort.Federated.Tests.Stages;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Tests.Asynchronous;

public class ExchangeCohortTests
{
    /// <summary>Client k sends [k]; exchange 0 runs clients 0 and 1, exchange 1 its own cohort 4 and 5: x = 0 + (0 + 1)/2 + (4 + 5)/2 = 5.</summary>
    [Fact]
    public void EachExchangeRunsItsOwnCohort()
    {
        var updates = Enumerable.Range(0, 6).Select(k => new[] { (float)k }).ToArray();
        var server = new ServerState([0], [], new Sgd(1f));
        var seen = new SeenCohorts();
        var round = new FederatedRound(new FixedCohort(updates, [1, 1, 1, 1, 1, 1]), new TwoExchanges(), new WeightedMean(), new UpdatePipeline([seen]), server, 5, _ => 1, 6)
        {
            ExchangeCohort = (r, exchange) => r == 1 && exchange == 1 ? [4, 5] : throw new InvalidOperationException($"round {r}, exchange {exchange}"),
        };
        round.Run(1, [0, 1], measureDrift: false);
        Assert.Equal(5f, server.Global[0]);
        Assert.Equal([(0, 0, "0,1"), (0, 1, "0,1"), (1, 4, "4,5"), (1, 5, "4,5")], seen.Updates.Order());
    }

    [Fact]
    public void LaterDrawsOfAVersionComeFromTheirOwnStreams()
    {
        // The first draw is the round's cohort as it always was; a later draw differs from it for some round.
        Assert.Equal(ClientSampler.Sample(100, 10, 3, 7), ClientSampler.Sample(100, 10, 3, 7, draw: 0));
        Assert.Contains(Enumerable.Range(1, 5), r => !ClientSampler.Sample(100, 10, 3, r).SequenceEqual(ClientSampler.Sample(100, 10, 3, r, draw: 1)));
    }

    private sealed class TwoExchanges : IFederatedAlgorithm
    {
        public string Name => "two-exchanges";

        public int Exchanges => 2;

        public void InitializeServer(ServerState server)
        {
        }

        public ClientResult RunClient(ClientContext context) => throw new NotSupportedException("The fixed cohort sends fixed updates.");

        public void ApplyAggregate(ServerState server, RoundAggregate aggregate) => ServerStep.Apply(server, aggregate.Update);
    }

    /// <summary>Records what the per-update server hook is told: (exchange, client, the exchange's cohort).</summary>
    private sealed class SeenCohorts : IUpdateStage
    {
        public List<(int, int, string)> Updates { get; } = [];

        public string Name => "seen";

        public bool OnReceived(StageContext context, Span<float> update)
        {
            lock (Updates)
            {
                Updates.Add((context.Exchange, context.Client, string.Join(',', context.Cohort)));
            }
            return true;
        }
    }
}
