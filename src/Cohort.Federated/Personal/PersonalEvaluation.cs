using Cohort.Data;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.State;

namespace Cohort.Federated.Personal;

/// <summary>
/// Scores each client's personal model (the global model with the client's kept part, or the method's own) on the client's
/// own test split, and reports their spread as personal_accuracy_mean, _p10 and _worst (the same
/// statistics as client_accuracy_*: <see cref="ClientStatistics"/>).
/// </summary>
internal static class PersonalEvaluation
{
    /// <summary>Each client's personal accuracy on its test split (NaN for a client without one), by client id.</summary>
    public static double[] Score(IWorkerPool executor, IPersonalModel personal, IClientStateStore states,
        ReadOnlyMemory<float> global, ReadOnlyMemory<float> buffers, Dataset test, IReadOnlyList<int[]> splits)
    {
        var accuracy = new double[splits.Count];
        executor.ForEach(splits.Count, (worker, client) =>
        {
            var split = splits[client];
            if (split.Length == 0)
            {
                accuracy[client] = double.NaN;
                return;
            }
            personal.Compose(states, client, global.Span, worker.Model.Parameters);
            buffers.Span.CopyTo(worker.Model.Buffers);
            // The worker no longer holds the model a scoring pass of the global model loaded.
            worker.LoadedVersion = default;
            var correct = new bool[split.Length];
            var loss = new float[split.Length];
            for (int start = 0; start < split.Length; start += Worker.EvalBatch)
            {
                int size = Math.Min(Worker.EvalBatch, split.Length - start);
                Evaluator.ScoreIndices(worker, test, split.AsSpan(start, size), correct.AsSpan(start, size), loss.AsSpan(start, size));
            }
            accuracy[client] = (double)correct.Count(c => c) / split.Length;
        });
        return accuracy;
    }

    /// <summary>Adds personal_accuracy_mean, _p10 and _worst of <paramref name="accuracy"/> to the round's metrics.</summary>
    public static void Record(RoundMetrics metrics, IReadOnlyList<double> accuracy)
    {
        var spread = ClientStatistics.Of(accuracy);
        metrics.Extra["personal_accuracy_mean"] = spread.Mean;
        metrics.Extra["personal_accuracy_p10"] = spread.P10;
        metrics.Extra["personal_accuracy_worst"] = spread.Worst;
    }
}
