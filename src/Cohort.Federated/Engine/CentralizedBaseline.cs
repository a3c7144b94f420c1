using System.Diagnostics;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Engine;

/// <summary>
/// The upper baseline: all clients' training data pooled and trained as one, with the same model,
/// optimizer, batch size and learning rate. A round is client.epochs epochs (or client.steps steps)
/// over the pooled data; evaluation is as in federated runs. With DP-SGD (privacy.mechanism dp-sgd) every
/// step samples the pooled examples by Poisson sampling at the rate its accounting stage takes
/// (<see cref="Privacy.PooledDpSgdStage"/>), which reports ε each round and may stop the run before a round.
/// </summary>
internal sealed class CentralizedBaseline(FederatedRun run, Experiment experiment, FederatedData data, WorkerPool executor)
{
    public (int Rounds, double Seconds) Run(CancellationToken cancel)
    {
        int[] pooled = data.Partition.Train.SelectMany(p => p).Order().ToArray();
        var worker = executor.All[0];
        var server = run.Server;
        double trainingSeconds = 0;
        var privateSteps = experiment.Client.Private;
        int round = 0;
        while (round < experiment.Rounds && !cancel.IsCancellationRequested)
        {
            if (privateSteps is not null && run.StopsBefore(round + 1))
            {
                break;
            }
            round++;
            var clock = Stopwatch.StartNew();
            run.Clipping.Reset();
            var objective = worker.Objective.Bind(data.Train, pooled, experiment.Seed, round, -1, server.Buffers, experiment.Client.Adversarial, privateSteps, run.Clipping);
            long steps = experiment.Client.StepsFor(pooled.Length, experiment.Seed, round, -1);
            var context = new ClientContext(objective, worker.Optimizer, worker.Buffers, -1, round, 0, experiment.Seed, experiment.Client, steps, server.Global, Empty, run.States);
            var result = LocalTraining.Run(context);
            worker.Model.Parameters.CopyTo(server.Global, 0);
            worker.Model.Buffers.CopyTo(server.Buffers, 0);
            server.Round = round;
            double seconds = clock.Elapsed.TotalSeconds;
            trainingSeconds += seconds;
            if (!run.ShouldEvaluate(round))
            {
                continue;
            }
            var metrics = run.Evaluate(round, seconds, result.MeanLoss, 0, 0, 1);
            if (privateSteps is not null)
            {
                run.Clipping.Record(metrics);
                run.Pipeline.Report(metrics);
            }
            if (run.Record(metrics))
            {
                break;
            }
        }
        return (round, trainingSeconds);
    }

    private static readonly Dictionary<string, float[]> Empty = [];
}
