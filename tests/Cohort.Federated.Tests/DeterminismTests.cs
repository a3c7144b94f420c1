using Cohort.Federated.Aggregation;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Tensors.Random;

namespace Cohort.Federated.Tests;

public class DeterminismTests
{
    [Fact]
    public void AggregateIsBitIdenticalWhateverTheArrivalOrder()
    {
        const int clients = 12, length = 1001;
        var updates = new float[clients][];
        var weights = new double[clients];
        for (int k = 0; k < clients; k++)
        {
            var random = RandomStream.Create(5, k);
            updates[k] = new float[length];
            random.FillNormal(updates[k], 0, (float)Math.Pow(10, -k % 5));
            weights[k] = 1 + random.NextInt(600);
        }
        float[] Aggregate(IEnumerable<int> order, bool parallel)
        {
            var mean = new WeightedMean { ExpectedTotalWeight = weights.Sum() };
            mean.Begin(length);
            if (parallel)
            {
                Parallel.ForEach(order, k => mean.Add(updates[k], weights[k]));
            }
            else
            {
                foreach (int k in order)
                {
                    mean.Add(updates[k], weights[k]);
                }
            }
            var result = new float[length];
            mean.Complete(result);
            return result;
        }
        var forward = Aggregate(Enumerable.Range(0, clients), false);
        Assert.Equal(forward, Aggregate(Enumerable.Range(0, clients).Reverse(), false));
        Assert.Equal(forward, Aggregate([3, 7, 0, 11, 5, 1, 9, 2, 10, 4, 8, 6], false));
        Assert.Equal(forward, Aggregate(Enumerable.Range(0, clients), true));
        // And it is the weighted mean.
        for (int i = 0; i < length; i += 97)
        {
            double expected = Enumerable.Range(0, clients).Sum(k => weights[k] * updates[k][i]) / weights.Sum();
            Assert.Equal(expected, forward[i], 1e-6);
        }
    }

    [Fact]
    public void SameSeedGivesIdenticalMetricsWithOneOrTwoThreads()
    {
        var data = TestExperiments.MnistSubset(600, 200);
        List<(string, double)> Metrics(int threads, out float[] model)
        {
            var config = TestExperiments.Config("model=mlp", "partition.kind=dirichlet", "partition.alpha=0.5", "partition.clients=6", "clients_per_round=3", "rounds=3", "client.epochs=1", "client.batch_size=10", $"threads={threads}", "seed=7");
            var collected = new Collector();
            using var simulation = new FederatedRun(Experiment.From(config), TestExperiments.Partitioned(data, config), [collected]);
            simulation.Run();
            model = simulation.Server.Global;
            return collected.Rounds.SelectMany(r => r.Fields()).Where(f => !RoundMetrics.IsTiming(f.Name)).ToList();
        }
        var one = Metrics(1, out var modelOne);
        var two = Metrics(2, out var modelTwo);
        Assert.Equal(one, two);
        Assert.Equal(modelOne, modelTwo);
        Assert.Equal(3 * 3, one.Count(f => f.Item1 == "round") * 3);
    }

    private sealed class Collector : IRunCallback
    {
        public List<RoundMetrics> Rounds { get; } = [];

        public void OnRound(RoundMetrics metrics) => Rounds.Add(metrics);
    }
}
