using Cohort.Federated.Aggregation;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;
using Cohort.Federated.Stages;
using Cohort.NN.Optimizers;

namespace Cohort.Federated.Tests;

/// <summary>The round's training loss: the clients' mean losses weighted by their samples, and none when no client held a sample.</summary>
public class TrainLossTests
{
    private static RoundOutcome OneRound(ClientResult[] results)
    {
        var server = new ServerState([0, 0], [], new Sgd(1f));
        var round = new FederatedRound(new ReportingCohort(results), new FedAvg(), new WeightedMean(), UpdatePipeline.Empty, server, 5, _ => 1, results.Length);
        return round.Run(1, [.. Enumerable.Range(0, results.Length)], measureDrift: false);
    }

    [Fact]
    public void ACohortWithoutTrainingSamplesHasNoTrainingLoss()
    {
        var outcome = OneRound([new ClientResult(0, 0, 0), new ClientResult(0, 0, 0)]);
        Assert.Null(outcome.TrainLoss);
        var metrics = new RoundMetrics { Round = 1, TrainLoss = outcome.TrainLoss };
        Assert.Contains("\"train_loss\":null", MetricsJsonlWriter.ToJson(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTrainingLossIsTheSampleWeightedMeanOfTheClientsLosses()
    {
        // Mean losses 3 over 2 samples and 1 over 6; a client without samples adds nothing: (2·3 + 6·1) / 8 = 1.5.
        var outcome = OneRound([new ClientResult(2, 6, 2), new ClientResult(6, 3, 3), new ClientResult(0, 0, 0)]);
        Assert.Equal(1.5, outcome.TrainLoss);
    }

    /// <summary>Clients that send a zero update and report the given results.</summary>
    private sealed class ReportingCohort(ClientResult[] results) : ICohortExecutor
    {
        public int Samples(int client) => results[client].Samples;

        public int Run(CohortRound round, UpdateSink accept, CancellationToken cancel)
        {
            for (int slot = 0; slot < round.Clients.Length; slot++)
            {
                accept(slot, round.Clients[slot], new float[2], new ClientReport(results[round.Clients[slot]], 8));
            }
            return round.Clients.Length;
        }
    }
}
