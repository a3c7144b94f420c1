using System.Diagnostics;
using Cohort.Federated.Aggregation;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;

namespace Cohort.Federated.Engine;

/// <summary>The federated rounds of a run: sample a cohort, run the round, record the evaluated ones.</summary>
public sealed partial class FederatedRun
{
    private (int Rounds, double Seconds) RunFederated(CancellationToken cancel)
    {
        double totalWeight = Enumerable.Range(0, _training).Sum(Weight);
        var asynchrony = Algorithm.Asynchrony;
        var executor = RoundExecutor;
        var rounds = new FederatedRound(executor, Algorithm, Aggregator, Pipeline, Server, _experiment.Seed, Weight, totalWeight)
        {
            ServerStages = Byzantine is { } attack ? [attack] : [],
            DownlinkCompression = _components.Downlink,
            Asynchrony = asynchrony,
            ExchangeCohort = _experiment.CohortPerExchange ? (r, exchange) => _components.Sampler.Draw(r, exchange) : null,
        };
        var totals = Totals;
        // A restored server (a deployed run resumed) goes on after its last completed round.
        int round = Server.Round;
        while (round < _experiment.Rounds && !cancel.IsCancellationRequested)
        {
            if (StopsBefore(round + 1))
            {
                break;
            }
            round++;
            var clock = Stopwatch.StartNew();
            int[] cohort = executor is ICohortSource source ? source.CohortOf(round) : _components.Sampler.Draw(round);
            Aggregator.BeginRound(new AggregationRound(round, _experiment.Seed, Server.Global, Server, size => ServerBatch(size, round)));
            _components.Clipping.Reset();
            bool evaluate = ShouldEvaluate(round);
            // Drift compares a cohort's updates with the model they started from, which asynchronous clients do not share.
            // The clients measure it wherever they run (a deployed client sends it with its update).
            var outcome = rounds.Run(round, cohort, evaluate && _experiment.Diagnostics.Enabled && asynchrony is null, cancel);
            double seconds = clock.Elapsed.TotalSeconds;
            totals.TrainingSeconds += seconds;
            totals.BytesUp += outcome.BytesUp;
            totals.BytesDown += outcome.BytesDown;
            if (evaluate)
            {
                var metrics = Evaluate(round, seconds, outcome.TrainLoss, outcome.BytesUp, outcome.BytesDown, outcome.Reported);
                // Totals cover the rounds between evaluations too (eval.every > 1).
                metrics.Extra["bytes_up_total"] = totals.BytesUp;
                metrics.Extra["bytes_down_total"] = totals.BytesDown;
                CompressionRatio.Record(metrics, Server.Global.Length, Server.Buffers.Length, cohort.Length);
                metrics.Extra["rejected_updates"] = outcome.Rejected;
                if (outcome.Staleness is { } staleness)
                {
                    metrics.Extra["staleness"] = staleness;
                }
                _components.Clipping.Record(metrics);
                Pipeline.Report(metrics);
                if (Byzantine is not null)
                {
                    metrics.Extra["byzantine"] = outcome.Byzantine;
                }
                if (outcome.Drift is { } drift)
                {
                    metrics.Extra["drift"] = drift.Drift;
                    metrics.Extra["update_norm"] = drift.UpdateNorm;
                    metrics.Extra["aggregate_norm"] = drift.AggregateNorm;
                    if (drift.LeftOut > 0)
                    {
                        // Measured on part of the cohort only: the values are not the whole cohort's, and the metrics say so.
                        metrics.Extra["drift_left_out"] = drift.LeftOut;
                    }
                }
                if (Record(metrics))
                {
                    AfterRound?.Invoke(round);
                    break;
                }
            }
            AfterRound?.Invoke(round);
        }
        return (round, totals.TrainingSeconds);
    }

    /// <summary>
    /// Where the rounds' client halves run: the cohort executor, or, for an asynchronous method, simulated
    /// asynchronous clients over the in-process one (deployed clients are asynchronous themselves: the
    /// remote executor takes their stale updates). Made once, so a checkpoint restored before the run reaches it.
    /// </summary>
    internal ICohortExecutor RoundExecutor => _roundExecutor ??= Algorithm.Asynchrony is { } asynchrony && CohortExecutor.HoldsClientData
        ? new BufferedCohort(CohortExecutor, asynchrony, _training, _experiment.Seed,
            (client, version) => _experiment.Client.StepsFor(CohortExecutor.Samples(client), _experiment.Seed, version, client))
        : CohortExecutor;

    /// <summary>The loss of a server batch of <paramref name="size"/> samples drawn for the round, for a rule that scores updates (drawn only when asked for).</summary>
    private Func<float[], double> ServerBatch(int size, int round)
    {
        _serverBatch ??= new ServerBatchLoss(_components.CreateModel(), _data.Train, size);
        _serverBatch.Draw(_experiment.Seed, round);
        return _serverBatch.Loss;
    }
}
