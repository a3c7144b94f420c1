using Cohort.Federated.Checkpoints;
using Cohort.Federated.Config;
using Cohort.Federated.Engine;
using Cohort.Federated.Metrics;
using Cohort.Federated.Partitions;

namespace Cohort.Federated.Tests;

/// <summary>A simulated run cut after a checkpointed round and resumed from that checkpoint by a fresh run.</summary>
public static class CutRun
{
    /// <summary>
    /// Runs <paramref name="config"/> (checkpoint.every dividing <paramref name="cut"/>) until round <paramref name="cut"/>,
    /// resumes a fresh run from its checkpoint to the end and returns <paramref name="outcome"/> of that run.
    /// </summary>
    internal static T Resume<T>(ExperimentConfig config, FederatedData data, int cut, Func<FederatedRun, T> outcome)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"cohort-cut-{Guid.NewGuid():N}");
        try
        {
            using var cancel = new CancellationTokenSource();
            using (var first = new FederatedRun(Experiment.From(config), data, [new StopAfter(cut, cancel)]))
            {
                new RunCheckpoint(folder, config).Attach(first, Path.Combine(folder, "metrics.jsonl"), TextWriter.Null);
                first.Run(cancel.Token);
                Assert.Equal(cut, first.Server.Round);
            }
            using var resumed = new FederatedRun(Experiment.From(config), data);
            Assert.Equal(cut, new RunCheckpoint(folder, config).Attach(resumed, Path.Combine(folder, "metrics.jsonl"), TextWriter.Null));
            resumed.Run();
            return outcome(resumed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class StopAfter(int round, CancellationTokenSource cancel) : IRunCallback
    {
        public void OnRound(RoundMetrics metrics)
        {
            if (metrics.Round == round)
            {
                cancel.Cancel();
            }
        }
    }
}
