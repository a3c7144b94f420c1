using System.Diagnostics;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Engine;

/// <summary>
/// The upper baseline: all clients' training data pooled and trained as one, with the same model,
/// optimizer, batch size and learning rate. A round is client.epochs epochs (or client.steps steps)
/// over the pooled data; evaluation is as in federated runs.
/// </summary>
internal sealed class CentralizedBaseline(FederatedRun run, Experiment experiment, FederatedData data, WorkerPool executor)
{
    public (int Rounds, double Seconds) Run(CancellationToken cancel)
    {
        int[] pooled = data.Partition.Train.SelectMany(p => p).Order().ToArray();
        var worker = executor.All[0];
        var server = run.Server;
        double trainingSeconds = 0;
        int round = 0;
        while (round < experiment.Rounds && !cancel.IsCancellationRequested)
        {
            round++;
            var clock = Stopwatch.StartNew();
            var objective = worker.Objective.Bind(data.Train, pooled, experiment.Seed, round, -1, server.Buffers, experiment.Client.Adversarial);
            long steps = experiment.Client.StepsFor(pooled.Length, experiment.Seed, round, -1);
            var context = new ClientContext(objective, worker.Optimizer, worker.Buffers, -1, round, 0, experiment.Seed, experiment.Client, steps, server.Global, Empty, run.States);
            var result = LocalTraining.Run(context);
            worker.Model.Parameters.CopyTo(server.Global, 0);
            worker.Model.Buffers.CopyTo(server.Buffers, 0);
            server.Round = round;
            double seconds = clock.Elapsed.TotalSeconds;
            trainingSeconds += seconds;
            if (run.ShouldEvaluate(round) && run.Record(run.Evaluate(round, seconds, result.MeanLoss, 0, 0, 1)))
            {
                break;
            }
        }
        return (round, trainingSeconds);
    }

    private static readonly Dictionary<string, float[]> Empty = [];
}
