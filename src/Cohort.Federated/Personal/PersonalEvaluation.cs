using Cohort.Data;
using Cohort.Federated.Algorithms;
using Cohort.Federated.Engine;
using Cohort.Federated.Evaluation;
using Cohort.Federated.Metrics;
using Cohort.Federated.State;

namespace Cohort.Federated.Personal;

/// <summary>
/// Scores each client's personal model (<see cref="PersonalModel"/>) on the client's own test split, and
/// reports the spread of those accuracies and of the global model's on the same splits, so the gain of
/// personalization is one subtraction: personal_accuracy_* and global_accuracy_* (mean, std, p10, worst:
/// the statistics of client_accuracy_*, <see cref="ClientStatistics"/>).
/// </summary>
internal static class PersonalEvaluation
{
    /// <summary>
    /// Each client's personal accuracy on its test split (NaN for a client without one), by client id;
    /// <paramref name="bind"/> gives a worker's objective over a client's training data (for fine-tuning).
    /// </summary>
    public static double[] Score(IWorkerPool executor, PersonalModel personal, IClientStateStore states,
        ReadOnlyMemory<float> global, ReadOnlyMemory<float> buffers, Dataset test, IReadOnlyList<int[]> splits,
        Func<Worker, int, ILocalObjective> bind, float clientLearningRate)
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
            personal.Form(worker, states, client, global.Span, buffers.Span, () => bind(worker, client), clientLearningRate);
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

    /// <summary>
    /// Adds personal_accuracy_* of <paramref name="personal"/> and global_accuracy_* of <paramref name="global"/> (the global model on the same splits) to the round's metrics,
    /// both by client id; with simulated attackers (<paramref name="attacker"/>), also honest_personal_accuracy_* and honest_global_accuracy_* over the other clients
    /// alone, since an attacker's own model scored on its own test split says nothing of what the attack did to the honest clients.
    /// </summary>
    public static void Record(RoundMetrics metrics, IReadOnlyList<double> personal, IReadOnlyList<double> global, Func<int, bool>? attacker = null)
    {
        Spread(metrics, "personal_accuracy", personal);
        Spread(metrics, "global_accuracy", global);
        if (attacker is not null)
        {
            Spread(metrics, "honest_personal_accuracy", Honest(personal, attacker));
            Spread(metrics, "honest_global_accuracy", Honest(global, attacker));
        }
    }

    /// <summary>The accuracies with the attackers' left out (NaN, as a client without a test split).</summary>
    private static double[] Honest(IReadOnlyList<double> accuracy, Func<int, bool> attacker) =>
        [.. accuracy.Select((a, client) => attacker(client) ? double.NaN : a)];

    /// <summary>Adds <paramref name="name"/>_mean, _p10, _worst and _std of <paramref name="accuracy"/> to the round's metrics.</summary>
    public static void Spread(RoundMetrics metrics, string name, IReadOnlyList<double> accuracy)
    {
        var spread = ClientStatistics.Of(accuracy);
        metrics.Extra[name + "_mean"] = spread.Mean;
        metrics.Extra[name + "_p10"] = spread.P10;
        metrics.Extra[name + "_worst"] = spread.Worst;
        metrics.Extra[name + "_std"] = spread.Std;
    }
}
