using Cohort.Federated.Metrics;
using Cohort.Federated.Outputs;

namespace Cohort.Federated.Tests.Outputs;

/// <summary>Metrics and run folders as a run would write them, for the writer and report tests.</summary>
internal static class SampleRun
{
    public static RoundMetrics Round(int round, double accuracy, double clientMean = double.NaN) => new()
    {
        Round = round,
        TestAccuracy = accuracy,
        TestLoss = 2.0 / round,
        TrainLoss = 1.5 / round,
        Seconds = 0.25 * round,
        EvalSeconds = 0.125,
        BytesUp = 1000L * round,
        BytesDown = 4_000_000_000L,
        Clients = 10,
        ClientAccuracy = double.IsNaN(clientMean)
            ? new ClientStatistics(double.NaN, double.NaN, double.NaN, double.NaN)
            : new ClientStatistics(clientMean, 0.05, clientMean - 0.1, clientMean - 0.2),
    };

    public static PartitionSummary Partition(int clients = 4, int classes = 3, string? name = null) =>
        new(classes, Enumerable.Range(0, clients)
            .Select(k => new ClientShare(k, k == 0 ? name : null, 10 + k, 2 + k, Enumerable.Range(0, classes).Select(l => (k + l) % 4).ToArray()))
            .ToList());

    /// <summary>Runs the folder's writers (<paramref name="open"/>'s, or the metrics and summary writers) over <paramref name="rounds"/> rounds and writes config and partition.</summary>
    public static RunFolder Write(string path, int rounds, string config = "model: mlp\n", PartitionSummary? partition = null, double? target = null,
        Func<RunFolder, RunFolderWriters>? open = null)
    {
        var folder = RunFolder.Create(path);
        folder.WriteConfig(config);
        folder.WritePartition(partition ?? Partition());
        var history = new List<RoundMetrics>();
        using (var writers = open?.Invoke(folder) ?? new RunFolderWriters(folder))
        {
            writers.OnStart(new RunInfo("federated", "mlp", rounds, 4, 2, 100, 1));
            for (int r = 1; r <= rounds; r++)
            {
                var m = Round(r, 0.5 + 0.04 * r, 0.4 + 0.04 * r);
                m.Extra["drift"] = 0.1 * r;
                history.Add(m);
                writers.OnRound(m);
            }
            writers.OnEnd(RunSummary.From(history, target, 3.5, 2.5, rounds));
        }
        return folder;
    }
}
