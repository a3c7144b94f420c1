using System.Diagnostics;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Config;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Engine;

/// <summary>
/// The lower baseline: every client trains alone from the same initial model, a round being its usual
/// local work, and is tested on its own test split. Clients run one after another on each worker, so
/// memory stays O(workers × model); a round's <c>seconds</c> is the clients' training time for that
/// round divided by the number of workers.
/// </summary>
internal sealed class LocalBaseline(FederatedRun run, Experiment experiment, FederatedData data, WorkerPool executor)
{
    public (int Rounds, double Seconds) Run(CancellationToken cancel)
    {
        int rounds = experiment.Rounds, clients = data.Clients;
        var evalRounds = Enumerable.Range(1, rounds).Where(run.ShouldEvaluate).ToArray();
        var correct = new long[evalRounds.Length, clients];
        var lossSum = new double[evalRounds.Length, clients];
        var trainLoss = new double[rounds, clients];
        var seconds = new double[rounds, clients];
        var initial = run.Server.Global.ToArray();
        var initialBuffers = run.Server.Buffers.ToArray();
        executor.ForEach(clients, (worker, client) =>
        {
            initial.CopyTo(worker.Model.Parameters, 0);
            initialBuffers.CopyTo(worker.Model.Buffers, 0);
            int evalIndex = 0;
            for (int round = 1; round <= rounds && !cancel.IsCancellationRequested; round++)
            {
                var clock = Stopwatch.StartNew();
                // The client's own model is both the start and the result of its round.
                var train = data.Partition.Train[client];
                var objective = worker.Objective.Bind(data.Train, train, experiment.Seed, round, client, worker.Model.Buffers, experiment.Client.Adversarial);
                long steps = experiment.Client.StepsFor(train.Length, experiment.Seed, round, client);
                var context = new ClientContext(objective, worker.Optimizer, worker.Buffers, client, round, 0, experiment.Seed, experiment.Client, steps,
                    worker.Model.Parameters, Empty, run.States);
                trainLoss[round - 1, client] = LocalTraining.Run(context).MeanLoss;
                seconds[round - 1, client] = clock.Elapsed.TotalSeconds;
                if (evalIndex < evalRounds.Length && evalRounds[evalIndex] == round)
                {
                    (correct[evalIndex, client], lossSum[evalIndex, client]) = ScoreOwnTest(worker, data, data.Partition.Test[client]);
                    evalIndex++;
                }
            }
        });

        double trainingSeconds = 0;
        for (int e = 0, round = 1; round <= rounds; round++)
        {
            double roundSeconds = Enumerable.Range(0, clients).Sum(k => seconds[round - 1, k]) / executor.Workers;
            trainingSeconds += roundSeconds;
            if (e < evalRounds.Length && evalRounds[e] == round)
            {
                long allCorrect = 0, count = 0;
                double allLoss = 0;
                var perClient = new List<double>();
                for (int k = 0; k < clients; k++)
                {
                    int n = data.Partition.Test[k].Length;
                    allCorrect += correct[e, k];
                    allLoss += lossSum[e, k];
                    count += n;
                    perClient.Add(n == 0 ? double.NaN : (double)correct[e, k] / n);
                }
                double train = Enumerable.Range(0, clients).Sum(k => trainLoss[round - 1, k] * data.ClientTrainCount(k)) / Math.Max(1, data.Train.Count);
                var metrics = new RoundMetrics
                {
                    Round = round,
                    TestAccuracy = count == 0 ? double.NaN : (double)allCorrect / count,
                    TestLoss = count == 0 ? double.NaN : allLoss / count,
                    TrainLoss = train,
                    Seconds = roundSeconds,
                    Clients = clients,
                    ClientAccuracy = ClientStatistics.Of(perClient),
                };
                e++;
                if (run.Record(metrics))
                {
                    return (round, trainingSeconds);
                }
            }
        }
        return (rounds, trainingSeconds);
    }

    private static readonly Dictionary<string, float[]> Empty = [];

    private static (long Correct, double Loss) ScoreOwnTest(Worker worker, FederatedData data, int[] test)
    {
        var correct = new bool[Worker.EvalBatch];
        var loss = new float[Worker.EvalBatch];
        long right = 0;
        double sum = 0;
        for (int start = 0; start < test.Length; start += Worker.EvalBatch)
        {
            int size = Math.Min(Worker.EvalBatch, test.Length - start);
            Evaluator.ScoreIndices(worker, data.Test, test.AsSpan(start, size), correct, loss);
            for (int i = 0; i < size; i++)
            {
                right += correct[i] ? 1 : 0;
                sum += loss[i];
            }
        }
        return (right, sum);
    }
}
