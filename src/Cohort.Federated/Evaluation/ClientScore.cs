using Cohort.Data;
using Cohort.Federated.Engine;

namespace Cohort.Federated.Evaluation;

/// <summary>A model's score on one client's test split: samples classified correctly, samples, and the sum of their losses.</summary>
internal readonly record struct ClientScore(long Correct, long Count, double LossSum)
{
    /// <summary>Correct over count, as the simulation's <see cref="Evaluator.Over"/> computes it (NaN without samples).</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;

    /// <summary>With a personal part kept per client: samples the client's personal model classified correctly (null: none kept).</summary>
    public long? PersonalCorrect { get; init; }

    /// <summary>The personal model's accuracy, as <see cref="Personal.PersonalEvaluation.Score"/> computes it (NaN without samples or a personal part).</summary>
    public double PersonalAccuracy => Count == 0 || PersonalCorrect is not { } correct ? double.NaN : (double)correct / Count;

    /// <summary>Scores all of <paramref name="test"/> with the model the worker holds, in evaluation batches, summed in sample order as <see cref="Evaluator"/> does.</summary>
    public static ClientScore Of(Worker worker, Dataset test)
    {
        var correct = new bool[test.Count];
        var loss = new float[test.Count];
        for (int start = 0; start < test.Count; start += Worker.EvalBatch)
        {
            Evaluator.ScoreRange(worker, test, start, Math.Min(Worker.EvalBatch, test.Count - start), correct, loss);
        }
        long right = 0;
        double sum = 0;
        for (int i = 0; i < test.Count; i++)
        {
            right += correct[i] ? 1 : 0;
            sum += loss[i];
        }
        return new ClientScore(right, test.Count, sum);
    }
}
